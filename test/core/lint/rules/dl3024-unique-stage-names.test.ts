import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3024 unique stage names', () => {
  catches('DL3024', 'FROM node:20 AS build\nRUN make\nFROM golang:1.22 AS build', { line: 3 });
  catches('DL3024', 'FROM node:20 AS Build\nFROM golang:1.22 AS build');
  passes('DL3024', 'FROM node:20 AS build\nFROM golang:1.22 AS run');
  passes('DL3024', 'FROM node:20\nFROM golang:1.22');
});
