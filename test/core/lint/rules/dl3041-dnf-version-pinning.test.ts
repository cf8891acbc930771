import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3041 dnf version pinning', () => {
  catches('DL3041', 'FROM fedora:40\nRUN dnf install -y tomcat && dnf clean all', { line: 2 });
  catches('DL3041', 'FROM ubi9/ubi-minimal\nRUN microdnf install -y rpm-sign');
  catches('DL3041', 'FROM fedora:40\nONBUILD RUN dnf in -y tomcat');
  catches('DL3041', 'FROM fedora:40\nRUN dnf module install -y nodejs');
  catches('DL3041', 'FROM fedora:40\nRUN dnf --setopt install_weak_deps=False install -y jq');
  catches('DL3041', 'FROM fedora:40 AS a\nENV V=2.45.2\nFROM fedora:40\nRUN dnf install -y git-core-${V}');
  passes('DL3041', 'FROM fedora:40\nRUN dnf install -y tomcat-10.1.24 && dnf clean all');
  passes('DL3041', 'FROM fedora:40\nRUN dnf install -y openssl-1:3.2.1 gcc-c++-14.1.1');
  passes('DL3041', 'FROM fedora:40\nRUN dnf module install -y nodejs:20/common');
  passes('DL3041', 'FROM fedora:40\nRUN dnf -y group install "Development Tools"');
  passes('DL3041', "FROM fedora:40\nRUN dnf install -y 'dnf-command(config-manager)' @c-development");
  passes('DL3041', 'FROM fedora:40\nENV V=2.45.2\nRUN dnf install -y git-core-${V}');
  passes('DL3041', 'FROM fedora:40 AS base\nENV V=2.45.2\nFROM base\nRUN dnf install -y git-core-${V}');
  passes('DL3041', 'FROM fedora:40\nRUN dnf install -y ./app-1.0.x86_64.rpm');
  passes('DL3041', 'FROM fedora:40\nRUN notdnf install tomcat');
});
