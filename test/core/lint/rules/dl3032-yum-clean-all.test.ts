import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3032 yum clean all', () => {
  catches('DL3032', 'FROM centos:7\nRUN yum install -y mariadb-5.5.68', { line: 2 });
  catches('DL3032', 'FROM centos:7\nONBUILD RUN yum install -y mariadb-5.5.68');
  catches('DL3032', 'FROM centos:7\nRUN yum clean all && yum install -y mariadb-5.5.68');
  catches('DL3032', 'FROM centos:7\nRUN yum -y update');
  catches('DL3032', 'FROM centos:7\nRUN yum install -y mariadb-5.5.68\nRUN yum clean all', { line: 2 });
  catches('DL3032', 'FROM centos:7\nRUN yum install -y a-1 && yum clean all && yum install -y b-2');
  catches('DL3032', 'FROM centos:7\nRUN yum install -y mariadb-5.5.68 && yum clean packages');
  catches(
    'DL3032',
    'FROM centos:7\nRUN --mount=type=bind,target=/var/cache/yum yum install -y mariadb-5.5.68',
  );
  passes('DL3032', 'FROM centos:7\nRUN yum install -y mariadb-5.5.68 && yum clean all');
  passes('DL3032', 'FROM centos:7\nRUN yum install -y mariadb-5.5.68 && rm -rf /var/cache/yum/*');
  passes('DL3032', 'FROM centos:7\nRUN yum install -y mariadb-5.5.68 && rm -rf /var/cache');
  passes('DL3032', 'FROM rockylinux:9\nRUN yum install -y mariadb-10.5 && dnf clean all');
  passes(
    'DL3032',
    'FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y mariadb-5.5.68',
  );
  passes('DL3032', 'FROM centos:7\nRUN --mount=type=tmpfs,target=/var/cache yum install -y mariadb-5.5.68');
  passes(
    'DL3032',
    'FROM centos:7 AS build\nRUN yum install -y gcc-4.8.5\nFROM scratch\nCOPY --from=build /out /',
  );
  passes('DL3032', 'FROM centos:7\nRUN yum list installed && yum repolist');
  passes('DL3032', 'FROM centos:7\nRUN bash -c `# not even a yum command`');
});

describe('DL3032 cleaned by dnf-3', () => {
  passes('DL3032', 'FROM centos:8\nRUN yum install -y httpd-2.4 && dnf-3 clean all');
});
