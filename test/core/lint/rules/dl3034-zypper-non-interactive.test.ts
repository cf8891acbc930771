import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3034 zypper non-interactive', () => {
  catches('DL3034', 'FROM opensuse/leap:15.6\nRUN zypper install httpd=2.4.58 && zypper clean', { line: 2 });
  catches('DL3034', 'FROM opensuse/leap:15.6\nONBUILD RUN zypper in httpd=2.4.58');
  catches('DL3034', 'FROM opensuse/leap:15.6\nRUN zypper --root /target rm httpd');
  catches('DL3034', 'FROM opensuse/leap:15.6\nRUN zypper up');
  catches('DL3034', 'FROM opensuse/leap:15.6\nRUN sudo zypper patch');
  passes('DL3034', 'FROM opensuse/leap:15.6\nRUN zypper install -n httpd=2.4.58 && zypper clean');
  passes('DL3034', 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive install httpd=2.4.58');
  passes('DL3034', 'FROM opensuse/leap:15.6\nRUN zypper in -y httpd=2.4.58');
  passes('DL3034', 'FROM opensuse/leap:15.6\nRUN zypper install --no-confirm httpd=2.4.58');
  passes('DL3034', 'FROM opensuse/leap:15.6\nRUN yes | zypper install httpd=2.4.58');
  passes('DL3034', 'FROM opensuse/leap:15.6\nRUN zypper refresh && zypper search httpd');
});
