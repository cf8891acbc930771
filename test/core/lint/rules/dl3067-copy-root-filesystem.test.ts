import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3067 COPY of a whole root filesystem', () => {
  catches('DL3067', 'FROM alpine:3.20 AS build\nFROM scratch\nCOPY --from=build / /', { line: 3 });
  catches('DL3067', 'FROM alpine:3.20 AS build\nFROM scratch\nCOPY --from=build "/" "/"');
  catches('DL3067', 'FROM alpine:3.20 AS build\nFROM scratch\nCOPY --from=build /. /');
  passes('DL3067', 'FROM alpine:3.20\nCOPY / /');
  passes('DL3067', 'FROM tonistiigi/xx:1.4.0 AS xx\nFROM golang:1.22\nCOPY --from=xx / /');
  passes('DL3067', 'FROM alpine:3.20 AS build\nFROM scratch\nCOPY --from=build /app /');
  passes('DL3067', 'FROM alpine:3.20 AS build\nFROM scratch\nCOPY --from=build / /rootfs');
});
