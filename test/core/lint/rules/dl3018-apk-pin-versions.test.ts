import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3018 apk add without versions', () => {
  catches('DL3018', 'FROM alpine:3.20\nRUN apk add --no-cache curl', { line: 2 });
  catches('DL3018', 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 jq');
  catches('DL3018', 'FROM alpine:3.20\nRUN apk --no-cache add curl');
  catches('DL3018', 'FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev=1.2.5-r0');
  catches(
    'DL3018',
    'FROM alpine:3.20\nRUN apk add --no-cache -X https://dl-cdn.alpinelinux.org/alpine/edge/testing foo@testing',
  );
  catches('DL3018', 'FROM alpine:3.20\nONBUILD RUN apk add curl');
  passes(
    'DL3018',
    'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 jq~1.7 "python3>=3.12" "git<3" "bash=~5.2"',
  );
  passes(
    'DL3018',
    'FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc=13.2.1-r0 && apk del .build-deps',
  );
  passes(
    'DL3018',
    'FROM alpine:3.20\nRUN apk add --no-cache -t .deps --repository=https://x.example/edge gcc=13.2.1-r0',
  );
  passes(
    'DL3018',
    'FROM alpine:3.20\nRUN apk add --no-cache --repository https://x.example/edge/testing flow=0.78.0-r0',
  );
  passes('DL3018', 'FROM alpine:3.20\nRUN apk add --allow-untrusted ./pkgs/tool-1.0-r0.apk');
  passes('DL3018', 'FROM alpine:3.20\nRUN apk add --no-cache $BUILD_DEPS "curl=${CURL_VERSION}"');
  passes('DL3018', 'FROM alpine:3.20\nRUN apk update && apk upgrade && apk del curl');
});
