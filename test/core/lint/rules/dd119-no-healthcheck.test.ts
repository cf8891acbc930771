import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD119 final image defines no HEALTHCHECK', () => {
  catches('DD119', 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html', { line: 1 });
  catches('DD119', 'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]');
  // A HEALTHCHECK of a build stage the final image is not built FROM does not ship.
  catches(
    'DD119',
    'FROM golang:1.22 AS build\nHEALTHCHECK CMD true\nRUN go build -o /app .\nFROM debian:12\nCOPY --from=build /app /app',
    { line: 4 },
  );
  // ONBUILD HEALTHCHECK is for the images built from this one.
  catches('DD119', 'FROM debian:12\nONBUILD HEALTHCHECK CMD curl -f http://localhost/ || exit 1');
  passes('DD119', 'FROM nginx:1.27\nHEALTHCHECK --interval=30s CMD curl -fsS http://localhost/ || exit 1');
  passes('DD119', 'FROM debian:12\nHEALTHCHECK NONE');
  passes(
    'DD119',
    'FROM debian:12 AS base\nHEALTHCHECK CMD ["/bin/check"]\nFROM base AS app\nRUN true\nFROM app\nCOPY x /x',
  );
  passes('DD119', '# a fragment without FROM\nRUN true');
});
