import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL4004 multiple ENTRYPOINT', () => {
  catches('DL4004', 'FROM debian:12\nENTRYPOINT ["a"]\nRUN make\nENTRYPOINT ["b"]', { line: 4 });
  catches('DL4004', 'FROM debian:12 AS one\nENTRYPOINT a\nENTRYPOINT b\nFROM debian:12\nENTRYPOINT c', {
    line: 3,
  });
  passes('DL4004', 'FROM debian:12 AS one\nENTRYPOINT a\nFROM debian:12\nENTRYPOINT b');
  passes('DL4004', 'FROM debian:12\nENTRYPOINT ["a"]\nONBUILD ENTRYPOINT ["b"]');
  passes('DL4004', 'FROM debian:12\nENTRYPOINT ["a"]');
});
