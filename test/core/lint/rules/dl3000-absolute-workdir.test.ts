import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3000 absolute WORKDIR', () => {
  catches('DL3000', 'FROM debian:12\nWORKDIR app', { line: 2 });
  catches('DL3000', 'FROM debian:12\nWORKDIR "relative/dir"');
  catches('DL3000', "FROM debian:12\nWORKDIR './src'");
  catches('DL3000', 'FROM debian:12\nONBUILD WORKDIR build');
  passes('DL3000', 'FROM debian:12\nWORKDIR /usr/src/app');
  passes('DL3000', 'FROM debian:12\nWORKDIR "/srv/my app"');
  passes('DL3000', 'FROM debian:12\nWORKDIR ${APP_HOME}');
  passes('DL3000', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\app');
  passes('DL3000', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR "c:/app"');
});
