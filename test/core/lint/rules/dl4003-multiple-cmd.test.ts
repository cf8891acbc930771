import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL4003 multiple CMD', () => {
  catches('DL4003', 'FROM debian:12\nCMD ["a"]\nRUN make\nCMD ["b"]', { line: 4 });
  catches('DL4003', 'FROM debian:12 AS one\nCMD a\nCMD b\nFROM debian:12\nCMD c', { line: 3 });
  passes('DL4003', 'FROM debian:12 AS one\nCMD a\nFROM debian:12\nCMD b');
  passes('DL4003', 'FROM debian:12\nCMD ["a"]\nONBUILD CMD ["b"]');
  passes('DL4003', 'FROM debian:12\nCMD ["a"]');
});
