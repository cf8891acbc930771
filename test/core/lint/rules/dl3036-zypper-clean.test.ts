import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3036 zypper clean', () => {
  catches('DL3036', 'FROM opensuse/leap:15.6\nRUN zypper install -y mariadb=10.11', { line: 2 });
  catches('DL3036', 'FROM opensuse/leap:15.6\nONBUILD RUN zypper in -y mariadb=10.11');
  catches('DL3036', 'FROM opensuse/leap:15.6\nRUN zypper clean && zypper install -y mariadb=10.11');
  catches('DL3036', 'FROM opensuse/leap:15.6\nRUN zypper -n up');
  catches('DL3036', 'FROM opensuse/leap:15.6\nRUN zypper -n in mariadb=10.11\nRUN zypper clean -a', {
    line: 2,
  });
  passes('DL3036', 'FROM opensuse/leap:15.6\nRUN zypper install -y mariadb=10.11 && zypper clean');
  passes('DL3036', 'FROM opensuse/leap:15.6\nRUN zypper install -y mariadb=10.11 && zypper cc -a');
  passes(
    'DL3036',
    'FROM opensuse/leap:15.6\nRUN zypper install -y mariadb=10.11 && rm -rf /var/cache/zypp/*',
  );
  passes(
    'DL3036',
    'FROM opensuse/leap:15.6\nRUN --mount=type=cache,target=/var/cache/zypp zypper install -y mariadb',
  );
  passes(
    'DL3036',
    'FROM opensuse/leap:15.6\nRUN --mount=type=tmpfs,target=/var/cache/zypp zypper install -y mariadb',
  );
  passes(
    'DL3036',
    'FROM opensuse/leap:15.6 AS build\nRUN zypper -n in gcc\nFROM scratch\nCOPY --from=build /out /',
  );
  passes('DL3036', 'FROM opensuse/leap:15.6\nRUN zypper -n search mariadb');
});
