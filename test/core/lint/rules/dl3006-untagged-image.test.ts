import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3006 untagged image', () => {
  catches('DL3006', 'FROM debian', { line: 1 });
  catches('DL3006', 'FROM node AS build');
  catches('DL3006', 'FROM localhost:5000/team/app');
  catches('DL3006', 'FROM golang:1.22 AS build\nFROM node AS test', { line: 2 });
  catches('DL3006', 'FROM app AS base\nFROM app AS app');
  passes('DL3006', 'FROM debian:12');
  passes('DL3006', 'FROM registry.example.com:5000/team/app:1.4');
  passes('DL3006', 'FROM ruby@sha256:f1dbca0f5dbc9f1dbca0f5dbc9');
  passes('DL3006', 'FROM ${BASE_IMAGE}');
  passes('DL3006', 'FROM scratch');
  passes('DL3006', 'FROM golang:1.22 AS Build\nFROM build AS test');
});
