import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3030 yum without -y', () => {
  catches('DL3030', 'FROM centos:7\nRUN yum install httpd-2.4.6 && yum clean all', { line: 2 });
  catches('DL3030', 'FROM centos:7\nONBUILD RUN yum install httpd-2.4.6');
  catches('DL3030', 'FROM centos:7\nRUN yum groupinstall "Development Tools"');
  catches('DL3030', 'FROM centos:7\nRUN yum --enablerepo epel update');
  catches('DL3030', 'FROM centos:7\nRUN sudo yum remove -q httpd');
  catches('DL3030', 'FROM centos:7\nRUN set -e; \\\n    yum -q install nginx-1.20.1', { line: 3 });
  catches('DL3030', 'FROM centos:7\nRUN sh -c "yum install nginx-1.20.1"');
  passes('DL3030', 'FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all');
  passes('DL3030', 'FROM centos:7\nRUN yum -qy install httpd-2.4.6');
  passes('DL3030', 'FROM centos:7\nRUN yum --assumeyes install httpd-2.4.6');
  passes('DL3030', 'FROM centos:7\nRUN yum --setopt=assumeyes=1 install httpd-2.4.6');
  passes('DL3030', 'FROM centos:7\nRUN yes | yum install httpd-2.4.6');
  passes('DL3030', 'FROM centos:7\nRUN yum makecache && yum clean all && yum list installed');
  passes('DL3030', 'FROM centos:7\nRUN bash -c `# not even a yum command`');
  passes('DL3030', 'FROM centos:7\nRUN echo "yum install httpd" > /README');
});
