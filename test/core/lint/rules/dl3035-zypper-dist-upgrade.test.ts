import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3035 zypper dist-upgrade', () => {
  catches('DL3035', 'FROM opensuse/tumbleweed\nRUN zypper dist-upgrade', { line: 2 });
  catches('DL3035', 'FROM opensuse/tumbleweed\nRUN zypper -n dup');
  catches(
    'DL3035',
    'FROM opensuse/tumbleweed\nONBUILD RUN zypper --non-interactive dist-upgrade --no-recommends',
  );
  passes('DL3035', 'FROM opensuse/tumbleweed\nRUN zypper -n update');
  passes('DL3035', 'FROM opensuse/tumbleweed\nRUN zypper -n install dup=1.0');
  passes('DL3035', 'FROM opensuse/tumbleweed\nRUN echo "zypper dup" > /README');
});
