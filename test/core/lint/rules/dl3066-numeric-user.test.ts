import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3066 numeric USER', () => {
  catches('DL3066', 'FROM node:20\nUSER node', { line: 2 });
  catches('DL3066', 'FROM node:20\nUSER 1000:staff');
  catches('DL3066', 'FROM node:20\nUSER ${APP_UID}');
  catches('DL3066', 'FROM node:20 AS build\nUSER 1000\nFROM node:20\nUSER node:node', { line: 4 });
  passes('DL3066', 'FROM node:20\nUSER 1000');
  passes('DL3066', 'FROM node:20 AS build\nUSER node\nFROM node:20\nUSER 1000');
  passes('DL3066', 'FROM node:20\nUSER node\nRUN npm ci\nUSER 1000');
  passes('DL3066', 'FROM node:20\nUSER root');
  passes('DL3066', 'FROM node:20\nUSER 1000:1000');
  passes('DL3066', 'ARG APP_UID=10001\nFROM node:20\nUSER ${APP_UID}');
  passes('DL3066', 'FROM node:20\nENV UID=10001 GID=10001\nUSER $UID:$GID');
});
