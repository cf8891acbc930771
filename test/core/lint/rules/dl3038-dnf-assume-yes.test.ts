import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3038 dnf without -y', () => {
  catches('DL3038', 'FROM fedora:40\nRUN dnf install httpd-2.4.58 && dnf clean all', { line: 2 });
  catches('DL3038', 'FROM ubi9/ubi-minimal\nRUN microdnf install httpd-2.4.57 && microdnf clean all');
  catches('DL3038', 'FROM fedora:40\nONBUILD RUN dnf in httpd-2.4.58');
  catches(
    'DL3038',
    'FROM fedora:40\nRUN dnf --setopt=install_weak_deps=False group install "C Development Tools"',
  );
  catches('DL3038', 'FROM fedora:40\nRUN dnf module enable nodejs:20');
  catches('DL3038', 'FROM fedora:40\nRUN dnf5 upgrade');
  catches('DL3038', 'FROM fedora:40\nRUN /usr/bin/dnf --enablerepo updates-testing upgrade-minimal');
  passes('DL3038', 'FROM fedora:40\nRUN dnf install -y httpd-2.4.58 && dnf clean all');
  passes('DL3038', 'FROM ubi9/ubi-minimal\nRUN microdnf --assumeyes install httpd-2.4.57');
  passes('DL3038', 'FROM fedora:40\nRUN dnf -qy module enable nodejs:20');
  passes('DL3038', 'FROM fedora:40\nRUN yes | dnf install httpd-2.4.58');
  passes('DL3038', 'FROM fedora:40\nRUN dnf clean all && dnf makecache && dnf repolist');
  passes('DL3038', 'FROM fedora:40\nRUN notdnf install httpd');
});
