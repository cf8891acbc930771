import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3029 FROM --platform', () => {
  catches('DL3029', 'FROM --platform=linux/amd64 debian:12', { line: 1 });
  catches('DL3029', 'FROM --platform="linux/arm64" debian:12 AS build');
  passes('DL3029', 'FROM debian:12');
  passes('DL3029', 'FROM --platform=$BUILDPLATFORM golang:1.22 AS build');
  passes('DL3029', 'FROM --platform="${BUILDPLATFORM:-linux/amd64}" golang:1.22');
});
