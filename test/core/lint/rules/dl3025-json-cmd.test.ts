import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3025 JSON notation for CMD and ENTRYPOINT', () => {
  catches('DL3025', 'FROM node:20\nCMD node server.js', { line: 2 });
  catches('DL3025', 'FROM node:20\nENTRYPOINT /entrypoint.sh');
  catches('DL3025', "FROM node:20\nCMD ['node', 'server.js']");
  catches('DL3025', 'FROM node:20\nHEALTHCHECK --interval=30s CMD curl -f http://localhost/');
  catches('DL3025', 'FROM node:20\nONBUILD CMD npm start');
  passes('DL3025', 'FROM node:20\nCMD ["node", "server.js"]');
  passes('DL3025', 'FROM node:20\nENTRYPOINT [ "/entrypoint.sh" ]');
  passes('DL3025', 'FROM node:20\nCMD [ "/bin/sh", "-c", \\\n  "echo a && \\\n   echo b" \\\n  ]');
  passes('DL3025', 'FROM node:20\nHEALTHCHECK --interval=30s CMD ["curl", "-f", "http://localhost/"]');
  passes('DL3025', 'FROM node:20\nHEALTHCHECK NONE');
  passes('DL3025', 'FROM node:20\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1');
});
