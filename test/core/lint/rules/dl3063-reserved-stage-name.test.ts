import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3063 reserved stage names', () => {
  catches('DL3063', 'FROM debian:12 AS scratch', { line: 1 });
  catches('DL3063', 'FROM debian:12\nFROM alpine:3.20 AS Context', { line: 2 });
  passes('DL3063', 'FROM debian:12 AS build');
  passes('DL3063', 'FROM scratch');
});
