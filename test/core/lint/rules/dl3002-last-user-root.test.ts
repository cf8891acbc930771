import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3002 last USER root', () => {
  catches('DL3002', 'FROM debian:12\nUSER root', { line: 2 });
  catches('DL3002', 'FROM debian:12\nUSER 0:0');
  catches('DL3002', 'FROM debian:12\nUSER app\nRUN make\nUSER root:root', { line: 4 });
  catches('DL3002', 'FROM debian:12 AS base\nUSER root\nFROM base\nRUN make', { line: 2 });
  catches('DL3002', 'FROM debian:12 AS build\nUSER root\nRUN make\nFROM debian:12\nUSER app', { line: 2 });
  passes('DL3002', 'FROM debian:12\nUSER root\nRUN apt-get update\nUSER app');
  passes('DL3002', 'FROM debian:12\nUSER 1000:1000');
  passes('DL3002', 'FROM debian:12\nUSER rootless');
  passes('DL3002', 'FROM debian:12\nUSER app\nONBUILD USER root');
  passes('DL3002', 'FROM debian:12');
});
