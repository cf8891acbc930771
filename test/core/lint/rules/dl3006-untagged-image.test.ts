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

  // Global ARG defaults are what the builder pulls with no build args.
  catches('DL3006', 'ARG IMG=ubuntu\nFROM $IMG', { line: 2 });
  catches('DL3006', 'ARG REGISTRY=docker.io\nFROM ${REGISTRY}/library/ubuntu');
  catches('DL3006', 'ARG V=22.04\nARG IMG=ubuntu\nFROM ${IMG:-debian}');
  // A variable before the last `/` cannot carry the tag, whatever its value.
  catches('DL3006', 'FROM ${REGISTRY}/ubuntu');
  catches('DL3006', 'ARG REGISTRY\nFROM $REGISTRY/team/app AS build');
  catches('DL3006', 'FROM ${X:-team/app}');
  passes('DL3006', 'ARG IMG=ubuntu:22.04\nFROM $IMG');
  passes('DL3006', 'ARG V=22.04\nARG IMG=ubuntu:${V}\nFROM ${IMG}');
  passes('DL3006', 'FROM ${REGISTRY}/ubuntu:${TAG}');
  passes('DL3006', 'ARG REGISTRY\nFROM ${REGISTRY}/ubuntu:22.04');
  passes('DL3006', 'FROM ${REGISTRY}/${IMAGE}');
  passes('DL3006', 'FROM ${REGISTRY}/ubuntu@${DIGEST}');
  passes('DL3006', 'ARG BASE=scratch\nFROM $BASE');
  passes('DL3006', 'ARG BASE=build\nFROM golang:1.22 AS build\nFROM ${BASE}');
  // A stage ARG is not seen by FROM: the next FROM's `$X` is the build's to give.
  passes('DL3006', 'FROM golang:1.22 AS build\nARG X=ubuntu\nFROM $X');
});
