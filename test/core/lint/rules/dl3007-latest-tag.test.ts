import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3007 latest tag', () => {
  catches('DL3007', 'FROM debian:latest', { line: 1 });
  catches('DL3007', 'FROM debian:latest AS builder');
  catches('DL3007', 'FROM registry.example.com:5000/team/app:latest');
  passes('DL3007', 'FROM debian:jessie');
  passes(
    'DL3007',
    'FROM debian:latest@sha256:7959ed6f7e35f8b1aaa06d1d8259d4ee25aa85a086d5c125480c333183f9deeb',
  );
  passes('DL3007', 'FROM debian');

  catches('DL3007', 'ARG TAG=latest\nFROM img:${TAG}', { line: 2 });
  catches('DL3007', 'ARG TAG=latest\nFROM img:$TAG AS build');
  catches('DL3007', 'ARG TAG\nFROM img:${TAG:-latest}');
  catches('DL3007', 'ARG IMG=debian:latest\nFROM ${IMG}');
  catches('DL3007', 'ARG T=latest\nARG IMG=debian:${T}\nFROM $IMG');
  catches('DL3007', 'FROM ${REGISTRY}/debian:latest');
  passes('DL3007', 'ARG TAG=12\nFROM img:${TAG}');
  passes('DL3007', 'ARG TAG\nFROM img:${TAG}');
  passes('DL3007', 'FROM img:${TAG}');
  passes(
    'DL3007',
    'ARG TAG=latest\nFROM img:${TAG}@sha256:7959ed6f7e35f8b1aaa06d1d8259d4ee25aa85a086d5c125480c333183f9deeb',
  );
  passes('DL3007', 'ARG TAG=latest\nFROM img:${TAG:+12}-slim');
  // An ARG of a stage is not seen by a later FROM.
  passes('DL3007', 'FROM a:1\nARG TAG=latest\nFROM img:${TAG}');
});
