import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3016 npm install without versions', () => {
  catches('DL3016', 'FROM node:20\nRUN npm install express', { line: 2 });
  catches('DL3016', 'FROM node:20\nRUN npm install -g typescript@5.4.5 ts-node');
  catches('DL3016', 'FROM node:20\nRUN npm i --save-dev @types/node');
  catches('DL3016', 'FROM node:20\nRUN npm install --global npm@latest');
  catches('DL3016', 'FROM node:20\nRUN npm install --registry https://npm.example.com express');
  catches('DL3016', 'FROM node:20\nRUN npm install --registry=https://npm.example.com express');
  catches('DL3016', 'FROM node:20\nRUN npm install git+https://github.com/org/lib.git');
  catches('DL3016', 'FROM node:20\nRUN npm install git+ssh://git@github.com:org/lib.git');
  catches('DL3016', 'FROM node:20\nRUN npm install org/lib');
  catches('DL3016', 'FROM node:20\nONBUILD RUN npm install express');
  catches('DL3016', 'FROM node:20\nRUN npm inst express');
  catches('DL3016', 'FROM node:20\nRUN npm isntall express');
  catches('DL3016', 'FROM node:20\nRUN npm --loglevel warn add express');
  passes('DL3016', 'FROM node:20\nRUN npm install');
  passes('DL3016', 'FROM node:20\nRUN npm info express && npm uninstall express');
  passes('DL3016', 'FROM node:20\nRUN npm ci --omit=dev && npm install --omit dev');
  passes('DL3016', 'FROM node:20\nRUN npm install express@4.19.2 lodash@"^4.17.21"');
  passes('DL3016', 'FROM node:20\nRUN npm install -g @angular/cli@17.3.0 @org/pkg@">=1.0.0 <2.0.0"');
  passes('DL3016', 'FROM node:20\nRUN npm install --loglevel verbose --prefix /opt/app express@4.19.2');
  passes(
    'DL3016',
    'FROM node:20\nRUN npm install git+https://github.com/org/lib.git#v1.2.0 github:org/tool#semver:^2',
  );
  passes(
    'DL3016',
    'FROM node:20\nRUN npm install ./vendor/lib-1.0.0.tgz pkg.tar.gz /opt/lib ../shared ~/lib file:../x',
  );
  passes('DL3016', 'FROM node:20\nRUN npm install "$PACKAGE" "express@${EXPRESS_VERSION}"');
  passes('DL3016', 'FROM node:20\nRUN npm run build -- install express && npm exec --yes -- cowsay hi');
});
