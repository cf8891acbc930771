import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3019 apk add keeping its cache', () => {
  catches('DL3019', 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r0', { line: 2 });
  catches('DL3019', 'FROM alpine:3.20\nRUN apk update && apk add curl=8.9.1-r0');
  catches('DL3019', 'FROM alpine:3.20\nRUN apk add -U curl=8.9.1-r0 && rm -rf /tmp/*');
  catches('DL3019', 'FROM alpine:3.20\nRUN rm -rf /var/cache/apk/* && apk add curl=8.9.1-r0');
  catches('DL3019', 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/other apk add curl=8.9.1-r0');
  catches('DL3019', 'FROM alpine:3.20\nONBUILD RUN apk add curl=8.9.1-r0');
  passes('DL3019', 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0');
  passes('DL3019', 'FROM alpine:3.20\nRUN apk --no-cache add curl=8.9.1-r0');
  passes('DL3019', 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add -U curl=8.9.1-r0');
  passes('DL3019', 'FROM alpine:3.20\nRUN --mount=type=tmpfs,target=/var/cache/apk apk add curl=8.9.1-r0');
  passes('DL3019', 'FROM alpine:3.20\nRUN --mount=type=cache,target=/etc/apk/cache apk add curl=8.9.1-r0');
  passes('DL3019', 'FROM alpine:3.20\nRUN apk update && apk add curl=8.9.1-r0 && rm -rf /var/cache/apk/*');
  passes('DL3019', 'FROM alpine:3.20\nRUN apk add --no-network --virtual .rundeps $runDeps');
  passes('DL3019', 'FROM alpine:3.20\nRUN apk del curl && apk info');
});
