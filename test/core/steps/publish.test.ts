import { beforeEach, describe, expect, it } from 'vitest';
import type { ImageTestedEvent } from '../../../core/events/index.js';
import { RegistryUnauthorizedError, RegistryUnavailableError } from '../../../core/ports/image-registry.js';
import { publishStep, runStep } from '../../../core/steps/index.js';
import { commit as commitOf, digest } from '../../contracts/sample-events.js';
import { type PushFlowFakes, pushFlowFakes } from '../../fakes/step-ports.js';

const COMMIT = commitOf('publish');
const IMAGE = 'localhost/drydock-build/build-web:latest';
let f: PushFlowFakes;

beforeEach(async () => {
  f = pushFlowFakes();
  f.images.add(IMAGE, { imageId: digest('web-config'), labels: {}, created: '2025-03-14T09:00:00Z' });
  await f.records.enqueue({
    buildId: 'build-web',
    repository: 'shop',
    definition: 'web/Dockerfile',
    commit: COMMIT,
    correlationId: 'push-1',
  });
  await f.records.transition('build-web', 'building');
  await f.records.transition('build-web', 'testing');
});

const tested = (): ImageTestedEvent => ({
  id: 'tested-web',
  source: 'drydock',
  detailType: 'Image Tested',
  time: '2025-03-14T09:01:00.000Z',
  detail: {
    buildId: 'build-web',
    repository: 'shop',
    commit: COMMIT,
    definition: 'web/Dockerfile',
    correlationId: 'push-1',
    imageRef: IMAGE,
    configDigest: digest('web-config'),
    passed: true,
    summary: { tests: 1, failures: 0, skipped: 0, durationMs: 10 },
    failures: [],
    bases: [{ name: '127.0.0.1:5000/base/busybox:1.36.0', digest: digest('busybox') }],
  },
});

describe('the publish step', () => {
  it('publishes Image Published for a pushed image and discards the local copy', async () => {
    expect(await runStep(publishStep, tested(), f.ports)).toEqual({ ran: true });
    expect(f.bus.detailTypes()).toEqual(['Image Published']);
    expect(f.bus.ofType('Image Published')[0]?.detail).toMatchObject({
      ref: `127.0.0.1:5000/apps/shop/web:${COMMIT.slice(0, 12)}`,
      configDigest: digest('web-config'),
    });
    expect(f.localImages.discarded).toEqual([IMAGE]);
    expect(f.images.get(IMAGE)).toBeUndefined();
  });

  it('ignores an Image Tested that did not pass: no rule routes it to publish, so nothing is pushed or failed', async () => {
    const failed = tested();
    const run = await runStep(
      publishStep,
      { ...failed, detail: { ...failed.detail, passed: false } },
      f.ports,
    );
    expect(run).toEqual({ ran: false, reason: 'no rule routes this Image Tested to publish' });
    expect(f.bus.events).toEqual([]);
    expect(await f.registry.tags('apps/shop/web')).toEqual([]);
    expect((await f.records.get('build-web'))?.state).toBe('testing');
  });

  it('ends the build with Build Failed at the push stage when the registry refuses it for good, and discards the image', async () => {
    f.registry.failNext(
      'push',
      new RegistryUnauthorizedError('the registry refused the pipeline credential'),
    );
    await runStep(publishStep, tested(), f.ports);
    expect(f.bus.detailTypes()).toEqual(['Build Failed']);
    expect(f.bus.ofType('Build Failed')[0]?.detail).toMatchObject({
      stage: 'push',
      reason: 'the registry refused the pipeline credential',
    });
    expect(await f.records.get('build-web')).toMatchObject({
      state: 'failed',
      error: 'push: the registry refused the pipeline credential',
    });
    expect(f.localImages.discarded).toEqual([IMAGE]);
  });

  it('ends the build when its tag already holds another image, leaving that image in place', async () => {
    f.registry.seed('apps/shop/web', COMMIT.slice(0, 12), { configDigest: digest('someone-else') });
    await runStep(publishStep, tested(), f.ports);
    expect(f.bus.ofType('Build Failed')[0]?.detail.reason).toMatch(/refusing to overwrite it$/);
    expect(await f.registry.inspect(`apps/shop/web:${COMMIT.slice(0, 12)}`)).toMatchObject({
      configDigest: digest('someone-else'),
    });
  });

  it('throws a failure a retry may fix, publishing nothing and keeping the image', async () => {
    f.registry.failNext('push', new RegistryUnavailableError('registry unreachable'));
    await expect(runStep(publishStep, tested(), f.ports)).rejects.toBeInstanceOf(RegistryUnavailableError);
    expect(f.bus.events).toEqual([]);
    expect(f.localImages.discarded).toEqual([]);
    expect((await f.records.get('build-web'))?.state).toBe('pushing');
  });

  it('publishes the outcome even when the local image cannot be discarded', async () => {
    f.localImages.failNext(new Error('image in use'));
    await runStep(publishStep, tested(), f.ports);
    expect(f.bus.detailTypes()).toEqual(['Image Published']);
  });
});
