import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3065 redundant --platform=$TARGETPLATFORM', () => {
  catches('DL3065', 'FROM --platform=$TARGETPLATFORM alpine:3.20', { line: 1 });
  catches('DL3065', 'FROM --platform="${TARGETPLATFORM}" alpine:3.20 AS run');
  passes('DL3065', 'FROM --platform=$BUILDPLATFORM golang:1.22');
  passes('DL3065', 'FROM --platform=linux/arm64 alpine:3.20');
  passes('DL3065', 'FROM alpine:3.20');
});
