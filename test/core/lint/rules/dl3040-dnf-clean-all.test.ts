import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3040 dnf clean all', () => {
  catches('DL3040', 'FROM fedora:40\nRUN dnf install -y mariadb-10.11.6', { line: 2 });
  catches('DL3040', 'FROM ubi9/ubi-minimal\nRUN microdnf install -y mariadb-10.5.22');
  catches('DL3040', 'FROM fedora:40\nONBUILD RUN dnf in -y mariadb-10.11.6');
  catches('DL3040', 'FROM fedora:40\nRUN dnf -y up-min');
  catches('DL3040', 'FROM fedora:40\nRUN dnf install -y mariadb-10.11.6 && microdnf clean all');
  catches('DL3040', 'FROM fedora:40\nRUN rm -rf /var/cache/libdnf5 && dnf install -y mariadb-10.11.6');
  catches('DL3040', 'FROM fedora:40\nRUN dnf -y group install "C Development Tools"');
  passes('DL3040', 'FROM fedora:40\nRUN dnf install -y mariadb-10.11.6 && dnf clean all');
  passes('DL3040', 'FROM ubi9/ubi-minimal\nRUN microdnf install -y mariadb-10.5.22 && microdnf clean all');
  passes('DL3040', 'FROM fedora:40\nRUN dnf -y rei mariadb-10.11.6 && rm -rf /var/cache/dnf');
  passes('DL3040', 'FROM fedora:40\nRUN dnf -y install mariadb-10.11.6 && rm -rf /var/cache/yum/*');
  passes(
    'DL3040',
    'FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y mariadb-10.11.6',
  );
  passes(
    'DL3040',
    'FROM fedora:40\nRUN --mount=type=tmpfs,target=/var/cache/dnf/ dnf install -y mariadb-10.11.6',
  );
  passes(
    'DL3040',
    'FROM fedora:40 AS build\nRUN dnf install -y gcc-14.1.1\nFROM scratch\nCOPY --from=build /out /',
  );
  passes('DL3040', 'FROM fedora:40\nRUN dnf repolist && dnf makecache');
  passes('DL3040', 'FROM fedora:40\nRUN notdnf install mariadb');
});
