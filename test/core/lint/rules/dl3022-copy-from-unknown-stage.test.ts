import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3022 COPY --from an unknown stage', () => {
  catches('DL3022', 'FROM debian:12\nCOPY --from=biuld /out /app', { line: 2 });
  catches('DL3022', 'FROM debian:12\nCOPY --from=build /out /app\nFROM golang:1.22 AS build');
  catches('DL3022', 'FROM debian:12\nCOPY --from=1 /out /app\nFROM golang:1.22');
  catches('DL3022', 'COPY --from=0 /out /app');
  passes('DL3022', 'FROM golang:1.22 AS build\nFROM debian:12\nCOPY --from=build /out /app');
  passes('DL3022', 'FROM golang:1.22 AS Build\nFROM debian:12\nCOPY --from=BUILD /out /app');
  passes('DL3022', 'FROM golang:1.22\nFROM debian:12\nCOPY --from=0 /out /app');
  passes('DL3022', 'FROM debian:12\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx');
  passes('DL3022', 'FROM debian:12\nCOPY --from=ghcr.io/org/tools /bin/tool /bin/');
  passes('DL3022', 'FROM debian:12\nCOPY --from=${TOOLS_IMAGE} /bin/tool /bin/');
  passes('DL3022', 'FROM debian:12\nONBUILD COPY --from=build /out /app');
});
