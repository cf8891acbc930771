import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { ImageTestSandboxError } from '../../../core/ports/image-tester.js';
import { runStep, testStep } from '../../../core/steps/index.js';
import { commit as commitOf, digest } from '../../contracts/sample-events.js';
import { type PushFlowFakes, pushFlowFakes } from '../../fakes/step-ports.js';
import { buildCompleted, REPOSITORY } from '../../fixtures/pipeline/pipeline-state.js';

const COMMIT = commitOf('tested');
const IMAGE = 'localhost/drydock-build/build-web:latest';
const tests = readFileSync(new URL('../../fixtures/pipeline/failing.yaml', import.meta.url), 'utf8');
let f: PushFlowFakes;

beforeEach(async () => {
  f = pushFlowFakes({ limits: { testTimeLimitMs: 7_000 } });
  f.images.add(IMAGE, { imageId: digest('web-config'), labels: {}, created: '2025-03-14T09:00:00Z' });
  f.source.commit(REPOSITORY, COMMIT, { 'web/Dockerfile': 'FROM x\n', 'web/image-tests.yaml': tests });
  await f.records.enqueue({
    buildId: 'build-web',
    repository: REPOSITORY,
    definition: 'web/Dockerfile',
    commit: COMMIT,
    correlationId: 'push-1',
  });
  await f.records.transition('build-web', 'building');
  await f.records.transition('build-web', 'testing');
});

const completed = () =>
  buildCompleted({
    buildId: 'build-web',
    commit: COMMIT,
    definition: 'web/Dockerfile',
    imageRef: IMAGE,
    configDigest: digest('web-config'),
  });

describe('the test step', () => {
  it('publishes Image Tested passed, keeps the image for publishing, and goes on in the build log', async () => {
    expect(await runStep(testStep, completed(), f.ports)).toEqual({ ran: true });
    expect(f.bus.ofType('Image Tested').map((e) => e.detail)).toMatchObject([
      { passed: true, buildId: 'build-web' },
    ]);
    expect(f.tester.requests[0]?.timeLimitMs).toBe(7_000);
    expect(f.localImages.discarded).toEqual([]);
    expect(f.logs.lines('build-web')).toContain(
      `drydock: image tests passed: 2 tests; JUnit report: ${f.reports.pathOf('build-web')}`,
    );
    expect(f.logs.closed).toEqual(['build-web']);
  });

  it('publishes Image Tested not passed for an image that fails its tests, and discards the image', async () => {
    f.tester.failTest('commandTests[1]', 'expectedOutput[0]: "goodbye" not found');
    await runStep(testStep, completed(), f.ports);
    expect(f.bus.ofType('Image Tested').map((e) => e.detail.passed)).toEqual([false]);
    expect(f.localImages.discarded).toEqual([IMAGE]);
    expect((await f.records.get('build-web'))?.state).toBe('failed');
  });

  it('ends the build with Build Failed at the test stage when the tests cannot run for good, and discards the image', async () => {
    f.tester.scriptNext({ kind: 'sandbox-error', reason: 'the image has no config' });
    await runStep(testStep, completed(), f.ports);
    expect(f.bus.detailTypes()).toEqual(['Build Failed']);
    expect(f.bus.ofType('Build Failed')[0]?.detail).toMatchObject({
      stage: 'test',
      reason: `cannot test ${IMAGE}: the image has no config`,
    });
    expect(await f.records.get('build-web')).toMatchObject({
      state: 'failed',
      error: `test: cannot test ${IMAGE}: the image has no config`,
    });
    expect(f.localImages.discarded).toEqual([IMAGE]);
  });

  it('throws a failure a retry may fix, publishing nothing and keeping the image and the record', async () => {
    f.tester.scriptNext({ kind: 'sandbox-error', reason: 'the container did not start', retryable: true });
    await expect(runStep(testStep, completed(), f.ports)).rejects.toBeInstanceOf(ImageTestSandboxError);
    expect(f.bus.events).toEqual([]);
    expect(f.localImages.discarded).toEqual([]);
    expect((await f.records.get('build-web'))?.state).toBe('testing');
    expect(f.logs.closed).toEqual(['build-web']);
  });

  it('publishes the outcome even when the build log cannot be closed or the image cannot be discarded', async () => {
    f.tester.failTest('commandTests[0]', 'exitCode: expected 0, got 1');
    f.logs.failCloseNext(new Error('disk full'));
    f.localImages.failNext(new Error('image in use'));
    await runStep(testStep, completed(), f.ports);
    expect(f.bus.ofType('Image Tested').map((e) => e.detail.passed)).toEqual([false]);
  });
});
