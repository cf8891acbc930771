import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3045 COPY to a relative destination without WORKDIR', () => {
  catches('DL3045', 'FROM node:20\nCOPY package.json .', { line: 2 });
  catches('DL3045', 'FROM node:20\nCOPY app.js "src/app.js"');
  catches('DL3045', 'FROM node:20 AS build\nWORKDIR /app\nFROM node:20\nCOPY app.js app/', { line: 4 });
  catches('DL3045', 'FROM node:20\nONBUILD WORKDIR /app\nCOPY app.js app/');
  catches('DL3045', 'FROM node:20\nCOPY app.js app/\nWORKDIR /app', { line: 2 });
  passes('DL3045', 'FROM node:20\nCOPY app.js /srv/app.js');
  passes('DL3045', 'FROM node:20\nWORKDIR /srv\nCOPY app.js .');
  passes('DL3045', 'FROM node:20 AS base\nWORKDIR /srv\nFROM node:20\nRUN x\nFROM base\nCOPY app.js .');
  passes('DL3045', 'FROM node:20\nCOPY app.js ${APP_HOME}');
  passes('DL3045', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY app.exe c:\\app\\app.exe');
  passes('DL3045', 'FROM node:20\nONBUILD WORKDIR /app\nONBUILD COPY . .');
});
