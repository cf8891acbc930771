import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3033 yum version pinning', () => {
  catches('DL3033', 'FROM centos:7\nRUN yum install -y tomcat && yum clean all', { line: 2 });
  catches('DL3033', 'FROM centos:7\nONBUILD RUN yum install -y tomcat');
  catches('DL3033', 'FROM centos:7\nRUN yum install -y tomcat-7.0.76 epel-release');
  catches('DL3033', 'FROM centos:7\nRUN yum --enablerepo epel install -y jq');
  catches('DL3033', 'FROM rockylinux:9\nRUN yum module install -y nodejs');
  catches('DL3033', 'FROM centos:7 AS a\nENV V=2.43.0\nFROM centos:7\nRUN yum install -y git-${V}');
  catches('DL3033', 'FROM centos:7\nENV PKG=tomcat\nRUN yum install -y "$PKG"');
  passes('DL3033', 'FROM centos:7\nRUN yum install -y tomcat-7.0.76 && yum clean all');
  passes('DL3033', 'FROM centos:7\nRUN yum install -y openssl-1:1.0.2k');
  passes('DL3033', 'FROM centos:7\nRUN yum install -y rpm-sign-4.11.3 gcc-c++-4.8.5');
  passes('DL3033', 'FROM rockylinux:9\nRUN yum module install -y nodejs:20');
  passes('DL3033', 'FROM centos:7\nRUN yum install -y /tmp/app-1.0.rpm https://example.com/x.rpm');
  passes('DL3033', 'FROM centos:7\nRUN yum groupinstall -y "Development Tools"');
  passes('DL3033', 'FROM centos:7\nRUN yum install -y @development "perl(JSON)"');
  passes('DL3033', 'FROM centos:7\nENV V=2.43.0\nRUN yum install -y git-${V}');
  passes('DL3033', 'FROM centos:7 AS base\nARG V=2.43.0\nFROM base\nRUN yum install -y git-$V');
  passes('DL3033', 'FROM centos:7\nARG PACKAGES\nRUN yum install -y $PACKAGES');
  passes('DL3033', 'FROM centos:7\nRUN yum install -y kernel-devel-$(uname -r)');
  passes('DL3033', 'FROM centos:7\nRUN yum remove -y tomcat');
});
