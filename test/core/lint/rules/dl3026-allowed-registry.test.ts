import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

const policy = { trustedRegistries: ['docker.io', 'registry.example.com', '*.corp.example'] };
const internalOnly = { trustedRegistries: ['registry.example.com'] };

describe('DL3026 allowed registries', () => {
  catches('DL3026', 'FROM random.com/debian:12', { line: 1, policy });
  catches('DL3026', 'FROM corp.example/app:1', { policy });
  catches('DL3026', 'FROM ubuntu:24.04', { policy: internalOnly });
  catches('DL3026', 'FROM docker.io/library/ubuntu:24.04', { policy: internalOnly });
  catches('DL3026', 'ARG BASE=quay.io/org/app:1\nFROM ${BASE}', { line: 2, policy });
  catches('DL3026', 'FROM debian:12\nCOPY --from=quay.io/org/tools:1 /bin/t /bin/', { line: 2, policy });
  catches('DL3026', 'FROM debian:12\nRUN --mount=type=bind,from=quay.io/org/tools:1,target=/t make', {
    line: 2,
    policy,
  });
  passes('DL3026', 'FROM random.com/debian:12');
  passes('DL3026', 'FROM ubuntu:24.04\nFROM zemanlx/ubuntu:18.04\nFROM index.docker.io/library/node:20', {
    policy,
  });
  passes('DL3026', 'FROM registry.example.com/base/node:20', { policy });
  passes('DL3026', 'FROM build.corp.example/app:1', { policy });
  passes('DL3026', 'FROM random.com/debian:12', { policy: { trustedRegistries: ['*'] } });
  passes('DL3026', 'FROM scratch', { policy: internalOnly });
  passes('DL3026', 'FROM registry.example.com/go:1.22 AS build\nFROM build\nCOPY --from=build /a /a', {
    policy: internalOnly,
  });
  passes('DL3026', 'FROM ${BASE_IMAGE}', { policy: internalOnly });
});
