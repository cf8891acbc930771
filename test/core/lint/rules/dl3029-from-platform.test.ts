import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3029 FROM --platform', () => {
  catches('DL3029', 'FROM --platform=linux/amd64 debian:12', { line: 1 });
  catches('DL3029', 'FROM --platform="linux/arm64" debian:12 AS build');
  passes('DL3029', 'FROM debian:12');
  passes('DL3029', 'FROM --platform=$BUILDPLATFORM golang:1.22 AS build');
  passes('DL3029', 'FROM --platform="${BUILDPLATFORM:-linux/amd64}" golang:1.22');

  // A variable is fine only when it is one of the builder's automatic platform ARGs.
  catches('DL3029', 'FROM --platform=$P debian:12');
  catches('DL3029', 'ARG P=linux/amd64\nFROM --platform=${P} debian:12', { line: 2 });
  catches('DL3029', 'ARG P=linux/amd64\nFROM --platform=$P debian:12');
  catches('DL3029', 'ARG P\nFROM --platform=$P debian:12');
  catches('DL3029', 'ARG P=linux/amd64\nFROM --platform="${P:-$BUILDPLATFORM}" debian:12');
  catches('DL3029', 'ARG OS=linux\nFROM --platform=$OS/$TARGETARCH debian:12');
  catches('DL3029', 'FROM --platform=linux/${TARGETARCH} debian:12');
  // A default given to an automatic platform ARG replaces the build's value.
  catches('DL3029', 'ARG TARGETPLATFORM=linux/arm64\nFROM --platform=$TARGETPLATFORM debian:12');
  passes('DL3029', 'FROM --platform=$TARGETPLATFORM debian:12');
  passes('DL3029', 'FROM --platform=${BUILDPLATFORM:-} debian:12');
  passes('DL3029', 'ARG TARGETPLATFORM\nFROM --platform=$TARGETPLATFORM debian:12');
  passes('DL3029', 'ARG P=$BUILDPLATFORM\nFROM --platform=${P} golang:1.22 AS build');
  passes('DL3029', 'FROM --platform=$TARGETOS/$TARGETARCH debian:12');
  passes('DL3029', 'FROM --platform=${BUILDOS}/${BUILDARCH}${BUILDVARIANT:+/$BUILDVARIANT} debian:12');
});
