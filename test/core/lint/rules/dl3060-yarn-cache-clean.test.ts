import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3060 yarn cache left in the image', () => {
  catches('DL3060', 'FROM node:20\nRUN yarn install --frozen-lockfile', { line: 2 });
  catches('DL3060', 'FROM node:20\nRUN yarn');
  catches('DL3060', 'FROM node:20\nRUN yarn add express@4.19.2');
  catches('DL3060', 'FROM node:20\nRUN yarn global add pm2@5.4.0');
  catches('DL3060', 'FROM node:20\nRUN yarn cache clean && yarn install');
  catches('DL3060', 'FROM node:20\nRUN yarn install\nRUN yarn cache clean', { line: 2 });
  catches('DL3060', 'FROM node:20\nRUN --mount=type=cache,target=/var/cache/other yarn install');
  catches('DL3060', 'FROM node:20 AS deps\nRUN yarn install\nFROM deps\nRUN yarn build');
  catches(
    'DL3060',
    'FROM node:20 AS deps\nONBUILD RUN yarn install\nFROM scratch\nCOPY --from=deps /app /app',
  );
  passes('DL3060', 'FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean');
  passes('DL3060', 'FROM node:20\nRUN yarn install && yarn build && rm -rf /usr/local/share/.cache/yarn');
  passes('DL3060', 'FROM node:20\nRUN --mount=type=cache,target=/root/.cache/yarn yarn install');
  passes('DL3060', 'FROM node:20\nRUN --mount=type=tmpfs,target=/usr/local/share/.cache/yarn yarn install');
  passes(
    'DL3060',
    'FROM node:20 AS deps\nRUN yarn install\nFROM node:20\nCOPY --from=deps /app/node_modules ./node_modules',
  );
  passes('DL3060', 'FROM node:20\nRUN yarn build && yarn test && yarn --version');
});
