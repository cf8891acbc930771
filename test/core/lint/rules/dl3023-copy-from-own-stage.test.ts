import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3023 COPY --from its own stage', () => {
  catches('DL3023', 'FROM node:20 AS web\nCOPY --from=web /a /b', { line: 2 });
  catches('DL3023', 'FROM node:20 AS Web\nCOPY --from=WEB /a /b');
  catches('DL3023', 'FROM node:20\nFROM node:20\nCOPY --from=1 /a /b');
  passes('DL3023', 'FROM node:20 AS build\nFROM node:20 AS run\nCOPY --from=build /a /b');
  passes('DL3023', 'FROM node:20\nFROM node:20\nCOPY --from=0 /a /b');
  passes('DL3023', 'FROM node:20 AS web\nCOPY /a /b');
});
