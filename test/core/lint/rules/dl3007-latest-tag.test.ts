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
});
