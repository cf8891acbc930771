import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3037 zypper version pinning', () => {
  catches('DL3037', 'FROM opensuse/leap:15.6\nRUN zypper install -y tomcat && zypper clean', { line: 2 });
  catches('DL3037', 'FROM opensuse/leap:15.6\nONBUILD RUN zypper in -y tomcat');
  catches('DL3037', 'FROM opensuse/leap:15.6\nRUN zypper -n in tomcat=9.0.85 curl');
  catches('DL3037', 'FROM opensuse/leap:15.6\nRUN zypper --root /target -n install --from repo-oss tomcat');
  passes('DL3037', 'FROM opensuse/leap:15.6\nRUN zypper install -y tomcat=9.0.85 && zypper clean');
  passes('DL3037', 'FROM opensuse/leap:15.6\nRUN zypper install -y tomcat\\>=9.0 "curl<9"');
  passes('DL3037', 'FROM opensuse/leap:15.6\nRUN zypper install -y tomcat-9.0.85-1.rpm');
  passes('DL3037', 'FROM opensuse/leap:15.6\nRUN zypper -n install -t pattern devel_basis');
  passes('DL3037', 'FROM opensuse/leap:15.6\nRUN zypper -n install pattern:devel_basis');
  passes('DL3037', 'FROM opensuse/leap:15.6\nRUN zypper -n install -n tomcat=9.0.85');
  passes('DL3037', 'FROM opensuse/leap:15.6\nRUN zypper -n remove tomcat');
});
