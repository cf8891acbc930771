import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3061 instruction order', () => {
  catches('DL3061', 'LABEL a=b\nFROM debian:12', { line: 1 });
  catches('DL3061', 'ARG V=1\nRUN make\nFROM debian:12', { line: 2 });
  catches('DL3061', 'RUN make');
  passes('DL3061', 'FROM debian:12\nLABEL a=b');
  passes('DL3061', 'ARG BASE=debian:12\nFROM ${BASE}\nARG V\nRUN make');
  passes('DL3061', '# syntax=docker/dockerfile:1\n# a comment\nFROM debian:12');
});
