import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Build } from '@aws-sdk/client-codebuild';
import { describe, expect, it } from 'vitest';
import {
  type BuildFacts,
  buildStateOutcome,
  CodeBuildStateDetail,
  factsFromEvent,
  withBuild,
} from '../../../adapters/aws/codebuild-build-state.js';
import { parseEvent } from '../../../core/events/index.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));
const detailOf = (name: string) => CodeBuildStateDetail.parse(fixture(name).detail);
const BUILD = (fixture('batch-get-builds-succeeded.json') as { builds: Build[] }).builds[0]!;
const now = new Date('2025-03-14T09:31:30.000Z');
const registry = '111111111111.dkr.ecr.eu-west-1.amazonaws.com';

describe('buildStateOutcome', () => {
  it('turns a succeeded build, read back with BatchGetBuilds, into a valid Image Published', () => {
    const facts = withBuild(factsFromEvent(detailOf('codebuild-state-succeeded.json')), BUILD);
    const outcome = buildStateOutcome(facts, { now, registry });
    expect(outcome).toMatchObject({ kind: 'published', basesKnown: false });
    if (outcome.kind !== 'published') throw new Error('not published');
    expect(parseEvent(outcome.event).ok).toBe(true);
    expect(outcome.event.detail).toEqual({
      buildId: 'build-0b5c3a1f9e2d4c6b8a7f1e0d2c3b4a59',
      ref: `${registry}/drydock/apps/github.com/acme/payments/services/api:405906c9d5be`,
      digest: 'sha256:9b2a7f3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8',
      configDigest: 'sha256:1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d',
      bases: [],
      definition: 'services/api/Dockerfile',
      repository: 'github.com/acme/payments',
      commit: '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb',
      correlationId: '6f1b2f4e-3c0a-4d1e-9a57-1f0c9d7e2b10',
    });
    expect(outcome.event.time).toBe(now.toISOString());
  });

  it('takes the bases from DRYDOCK_BASES, else from the base StartBuild named', () => {
    const base = { name: 'docker.io/library/debian:bookworm', digest: `sha256:${'d'.repeat(64)}` };
    const withExport: Build = {
      ...BUILD,
      exportedEnvironmentVariables: [
        ...(BUILD.exportedEnvironmentVariables ?? []),
        { name: 'DRYDOCK_BASES', value: JSON.stringify([base]) },
      ],
    };
    const exported = buildStateOutcome(
      withBuild(factsFromEvent(detailOf('codebuild-state-succeeded.json')), withExport),
      { now, registry },
    );
    expect(exported).toMatchObject({
      kind: 'published',
      basesKnown: true,
      event: { detail: { bases: [base] } },
    });

    const named: Build = {
      ...BUILD,
      environment: {
        ...BUILD.environment!,
        environmentVariables: [
          ...(BUILD.environment?.environmentVariables ?? []),
          { name: 'DRYDOCK_BASE_NAME', value: base.name },
          { name: 'DRYDOCK_BASE_DIGEST', value: base.digest },
        ],
      },
    };
    const fromEnv = buildStateOutcome(
      withBuild(factsFromEvent(detailOf('codebuild-state-succeeded.json')), named),
      { now, registry },
    );
    expect(fromEnv).toMatchObject({
      kind: 'published',
      basesKnown: true,
      event: { detail: { bases: [base] } },
    });
  });

  it('refuses a succeeded build whose exports are missing or malformed', () => {
    const facts = factsFromEvent(detailOf('codebuild-state-succeeded.json'));
    expect(() => buildStateOutcome(facts, { now, registry })).toThrow(
      /exported variable IMAGE_DIGEST is missing/,
    );
    const bad: Build = {
      ...BUILD,
      exportedEnvironmentVariables: [
        { name: 'IMAGE_DIGEST', value: 'sha256:nothex' },
        { name: 'CONFIG_DIGEST', value: 'sha256:x' },
      ],
    };
    expect(() => buildStateOutcome(withBuild(facts, bad), { now, registry })).toThrow(/detail\.digest/);
  });

  it('refuses a build that carries no drydock build id', () => {
    const facts: BuildFacts = { ...factsFromEvent(detailOf('codebuild-state-failed.json')), env: new Map() };
    expect(() => buildStateOutcome(facts, { now, registry })).toThrow(
      /environment variable DRYDOCK_BUILD_ID is missing/,
    );
  });

  it('turns a failed build into Build Failed with the failed phase, its message, the log link and tail', () => {
    const outcome = buildStateOutcome(factsFromEvent(detailOf('codebuild-state-failed.json')), {
      now,
      registry,
      logTail: 'Step 4/9 : RUN make\nmake: *** [all] Error 2',
    });
    if (outcome.kind !== 'failed') throw new Error('not failed');
    expect(parseEvent(outcome.event).ok).toBe(true);
    expect(outcome.event.detail).toMatchObject({
      buildId: 'build-0b5c3a1f9e2d4c6b8a7f1e0d2c3b4a59',
      stage: 'build',
      durationMs: 143_000,
      logTail: 'Step 4/9 : RUN make\nmake: *** [all] Error 2',
      logPath: expect.stringMatching(/^https:\/\/console\.aws\.amazon\.com\/cloudwatch\/.*stream=8745a7a9/),
    });
    expect(outcome.event.detail.reason).toMatch(
      /^CodeBuild build failed in BUILD: COMMAND_EXECUTION_ERROR: .*exit status 1$/,
    );
  });

  it('uses the phase message as the tail when the log cannot be read, and the exported stage when there is one', () => {
    const facts = factsFromEvent(detailOf('codebuild-state-failed.json'));
    const withStage: BuildFacts = { ...facts, exported: new Map([['DRYDOCK_STAGE', 'test']]) };
    const outcome = buildStateOutcome(withStage, { now, registry });
    expect(outcome).toMatchObject({
      kind: 'failed',
      event: { detail: { stage: 'test', logTail: expect.stringMatching(/^COMMAND_EXECUTION_ERROR/) } },
    });
  });

  it('maps a failure in POST_BUILD without an exported stage to push', () => {
    const facts = factsFromEvent(detailOf('codebuild-state-failed.json'));
    const phases = facts.phases.map((p) =>
      p.type === 'BUILD'
        ? { ...p, status: 'SUCCEEDED' }
        : p.type === 'POST_BUILD'
          ? { ...p, status: 'FAILED' }
          : p,
    );
    expect(buildStateOutcome({ ...facts, phases }, { now, registry })).toMatchObject({
      event: { detail: { stage: 'push' } },
    });
  });

  it('ignores a build still in progress', () => {
    const facts: BuildFacts = {
      ...factsFromEvent(detailOf('codebuild-state-failed.json')),
      status: 'IN_PROGRESS',
    };
    expect(buildStateOutcome(facts, { now, registry })).toEqual({
      kind: 'ignored',
      reason: 'the build is still running',
    });
  });

  it('names the same Build Failed event for the same build, so a redelivery is the same event', () => {
    const facts = factsFromEvent(detailOf('codebuild-state-failed.json'));
    const a = buildStateOutcome(facts, { now, registry });
    const b = buildStateOutcome(facts, { now: new Date(now.getTime() + 60_000), registry });
    expect(a.kind === 'failed' && b.kind === 'failed' && a.event.id === b.event.id).toBe(true);
  });
});
