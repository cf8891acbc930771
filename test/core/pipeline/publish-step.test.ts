import { beforeEach, describe, expect, it } from 'vitest';
import { ImagePublishedEvent } from '../../../core/events/image-published.js';
import type { ImageTestedEvent } from '../../../core/events/image-tested.js';
import { recordLineage } from '../../../core/pipeline/lineage-step.js';
import {
  BASE_DIGEST_LABEL,
  BASE_NAME_LABEL,
  basesFromLabels,
  ImageNotPassedError,
  ImageTagConflictError,
  type PublishImageDeps,
  publishedTag,
  publishImage,
  repositoryForDefinition,
  toPathComponent,
} from '../../../core/pipeline/publish-step.js';
import { InvalidImageTargetError, RegistryUnavailableError } from '../../../core/ports/image-registry.js';
import { digest } from '../../contracts/sample-events.js';
import { FakeImageRegistry } from '../../fakes/image-registry.js';
import { type PushFlowFakes, pushFlowFakes } from '../../fakes/step-ports.js';
import { REPOSITORY } from '../../fixtures/pipeline/pipeline-state.js';

const APP = 'localhost/apps/payments-web:build-1';
const COMMIT = '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb';
const TAG = COMMIT.slice(0, 12);
const DEFINITION = 'web/Dockerfile';
let f: PushFlowFakes;
let deps: PublishImageDeps;
let base: { name: string; digest: string };
let appConfigDigest: string;

beforeEach(() => {
  f = pushFlowFakes();
  // The base is published first, as ops publish theirs; the app names the pushed digest in its labels.
  const pushedBase = f.registry.seed('base/busybox', '1.36.0');
  base = { name: pushedBase.ref, digest: pushedBase.digest };
  appConfigDigest = digest('app-config');
  f.images.add(APP, {
    imageId: appConfigDigest,
    labels: { [BASE_NAME_LABEL]: base.name, [BASE_DIGEST_LABEL]: base.digest },
    created: '2025-03-14T09:00:00Z',
  });
  deps = { registry: f.registry, records: f.records, clock: f.clock };
});

function tested(fields: {
  buildId: string;
  passed?: boolean;
  configDigest?: string;
  imageRef?: string;
  rebuild?: ImageTestedEvent['detail']['rebuild'];
  bases?: ImageTestedEvent['detail']['bases'];
}): ImageTestedEvent {
  return {
    id: `image-tested-${fields.buildId}`,
    source: 'drydock',
    detailType: 'Image Tested',
    time: '2025-03-14T09:01:00.000Z',
    detail: {
      buildId: fields.buildId,
      repository: REPOSITORY,
      commit: COMMIT,
      definition: DEFINITION,
      correlationId: 'push-1',
      imageRef: fields.imageRef ?? APP,
      configDigest: fields.configDigest ?? appConfigDigest,
      ...(fields.rebuild ? { rebuild: fields.rebuild } : {}),
      passed: fields.passed ?? true,
      summary: { tests: 2, failures: 0, skipped: 0, durationMs: 300 },
      failures: [],
      ...(fields.bases ? { bases: fields.bases } : {}),
    },
  };
}

async function testing(buildId: string, rebuild?: string): Promise<void> {
  await f.records.enqueue({
    buildId,
    repository: REPOSITORY,
    definition: DEFINITION,
    commit: COMMIT,
    correlationId: 'push-1',
    ...(rebuild ? { rebuild } : {}),
  });
  await f.records.transition(buildId, 'building');
  await f.records.transition(buildId, 'testing');
}

describe('publishImage', () => {
  it('pushes the tested image once under <repository>:<commit12>, and records lineage on its base', async () => {
    await testing('build-web');
    const event = await publishImage(tested({ buildId: 'build-web' }), deps);
    expect(ImagePublishedEvent.parse(event)).toEqual(event);
    expect(event).toMatchObject({ time: f.clock.now().toISOString() });
    expect(event.detail).toMatchObject({
      ref: `${f.registry.host}/apps/payments/web:${TAG}`,
      configDigest: appConfigDigest,
      bases: [{ name: base.name, digest: base.digest }],
      definition: DEFINITION,
      repository: REPOSITORY,
      commit: COMMIT,
    });
    expect(f.registry.pushes).toMatchObject([
      { localImage: APP, target: { repository: 'apps/payments/web', tag: TAG }, digest: event.detail.digest },
    ]);
    expect(await f.records.get('build-web')).toMatchObject({
      state: 'published',
      imageDigest: event.detail.digest,
      history: [
        { state: 'queued' },
        { state: 'building' },
        { state: 'testing' },
        { state: 'pushing' },
        { state: 'published' },
      ],
    });

    const again = await publishImage(tested({ buildId: 'build-web' }), deps);
    expect(f.registry.pushes).toHaveLength(1);
    expect(again.id).toBe(event.id);
    expect(again.detail).toEqual(event.detail);
    expect(await f.registry.tags('apps/payments/web')).toEqual([TAG]);

    expect(await recordLineage(event, { lineage: f.lineage })).toEqual({
      digest: event.detail.digest,
      recorded: true,
    });
    const builtOnBase = await f.lineage.imagesBuiltOn(base.digest);
    expect(builtOnBase.map((d) => [d.image.digest, d.depth])).toEqual([[event.detail.digest, 1]]);
  });

  it('finishes the record of an image a crash left pushed, without pushing again', async () => {
    await testing('build-web');
    await f.registry.push(APP, { repository: 'apps/payments/web', tag: TAG });
    const event = await publishImage(tested({ buildId: 'build-web' }), deps);
    expect(f.registry.pushes).toHaveLength(1);
    expect(await f.records.get('build-web')).toMatchObject({
      state: 'published',
      imageDigest: event.detail.digest,
    });
  });

  it('takes the bases from the event before the labels, and from the basesOf lookup when the event has none', async () => {
    await testing('build-web');
    const carried = [{ name: 'docker.io/library/busybox:1.36', digest: base.digest }];
    expect((await publishImage(tested({ buildId: 'build-web', bases: carried }), deps)).detail.bases).toEqual(
      carried,
    );
    const looked = [{ name: 'docker.io/library/debian:12', digest: digest('debian') }];
    const event = await publishImage(tested({ buildId: 'build-web' }), {
      ...deps,
      basesOf: async () => looked,
    });
    expect(event.detail.bases).toEqual(looked);
  });

  it('refuses to overwrite the tag of a (definition, commit) with a different image', async () => {
    await testing('build-web');
    await publishImage(tested({ buildId: 'build-web' }), deps);
    const other = tested({ buildId: 'build-web', configDigest: digest('other-config') });
    await expect(publishImage(other, deps)).rejects.toBeInstanceOf(ImageTagConflictError);
    expect(await f.registry.inspect(`apps/payments/web:${TAG}`)).toMatchObject({
      configDigest: appConfigDigest,
    });
  });

  it('refuses an image that did not pass its tests, before touching the registry', async () => {
    await expect(
      publishImage(tested({ buildId: 'build-failed', passed: false }), deps),
    ).rejects.toBeInstanceOf(ImageNotPassedError);
    expect(f.registry.pushes).toEqual([]);
  });

  it('throws a registry outage as the registry throws it, leaving the record to be pushed again', async () => {
    await testing('build-web');
    f.registry.failNext('push', new RegistryUnavailableError('registry at 127.0.0.1:5000 answered 503'));
    await expect(publishImage(tested({ buildId: 'build-web' }), deps)).rejects.toMatchObject({
      retryable: true,
    });
    expect((await f.records.get('build-web'))?.state).toBe('pushing');
    await publishImage(tested({ buildId: 'build-web' }), deps);
    expect((await f.records.get('build-web'))?.state).toBe('published');
  });

  it('publishes under the registry namespace, so the ref, the push and the read-back name one image', async () => {
    const registry = new FakeImageRegistry({ store: f.images, namespace: 'drydock' });
    registry.seed('apps/payments/web', TAG, { configDigest: digest('outside the namespace') });
    await testing('build-web');
    const event = await publishImage(tested({ buildId: 'build-web' }), { ...deps, registry });
    expect(event.detail.ref).toBe(`${registry.host}/drydock/apps/payments/web:${TAG}`);
    expect(registry.pushes).toMatchObject([
      {
        target: { repository: 'drydock/apps/payments/web', tag: TAG },
        ref: event.detail.ref,
        digest: event.detail.digest,
      },
    ]);
    expect(await registry.inspect(event.detail.ref)).toMatchObject({ configDigest: appConfigDigest });
    // The same name outside the namespace is another image, neither read as the published one nor overwritten.
    expect(await registry.inspect(`apps/payments/web:${TAG}`)).toMatchObject({
      configDigest: digest('outside the namespace'),
    });
    const again = await publishImage(tested({ buildId: 'build-web' }), { ...deps, registry });
    expect(again.detail).toEqual(event.detail);
    expect(registry.pushes).toHaveLength(1);
  });

  it('refuses a namespace the reference grammar does not accept, before touching the registry', async () => {
    await testing('build-web');
    for (const namespace of ['../up', 'Drydock', 'a//b', `${'n'.repeat(250)}`]) {
      const registry = new FakeImageRegistry({ store: f.images, namespace });
      await expect(publishImage(tested({ buildId: 'build-web' }), { ...deps, registry })).rejects.toThrow(
        InvalidImageTargetError,
      );
      expect(registry.pushes).toEqual([]);
    }
  });

  it('refuses a push the registry does not read back as pushed, for a retry', async () => {
    await testing('build-web');
    // A registry that answers a push with a digest its tag does not hold (a race, a proxy that rewrote it).
    const registry = f.registry;
    const lying: PublishImageDeps = {
      ...deps,
      registry: {
        host: registry.host,
        push: async (localImage, target) => ({
          ...(await registry.push(localImage, target)),
          digest: digest('elsewhere'),
        }),
        inspect: (ref) => registry.inspect(ref),
      },
    };
    await expect(publishImage(tested({ buildId: 'build-web' }), lying)).rejects.toMatchObject({
      code: 'IMAGE_PUSH_UNVERIFIED',
      retryable: true,
    });
  });
});

describe("publishImage for a ban's rebuild", () => {
  it("publishes under <commit12>-r<number>, never the push's tag, and carries the rebuild on", async () => {
    await testing('build-web');
    const pushed = await publishImage(tested({ buildId: 'build-web' }), deps);
    const image = 'localhost/apps/payments-web:rebuild-1';
    const configDigest = digest('rebuild-config');
    f.images.add(image, {
      imageId: configDigest,
      labels: { [BASE_NAME_LABEL]: base.name, [BASE_DIGEST_LABEL]: base.digest, 'io.drydock.ban': 'ban-1' },
      created: '2025-03-14T09:00:00Z',
    });
    const rebuild = { banId: 'ban-1', number: 1, of: pushed.detail.digest, substitutions: [] };
    await testing('rebuild-web', 'ban-1#1');
    const event = await publishImage(
      tested({ buildId: 'rebuild-web', imageRef: image, configDigest, rebuild }),
      deps,
    );
    expect(ImagePublishedEvent.parse(event)).toEqual(event);
    expect(event.detail).toMatchObject({
      ref: `${f.registry.host}/apps/payments/web:${TAG}-r1`,
      configDigest,
      rebuild,
    });
    expect(event.id).not.toBe(pushed.id);
    expect(pushed.detail).not.toHaveProperty('rebuild');
    // The push's tag still holds the image the rebuild replaces.
    expect(await f.registry.inspect(pushed.detail.ref)).toMatchObject({
      digest: pushed.detail.digest,
      configDigest: appConfigDigest,
    });
    expect(await f.records.get('rebuild-web')).toMatchObject({
      state: 'published',
      imageDigest: event.detail.digest,
    });
    expect(await f.records.get('build-web')).toMatchObject({ imageDigest: pushed.detail.digest });
    // Redelivered: the same event, nothing pushed again.
    f.clock.advance(1_000);
    expect(
      await publishImage(tested({ buildId: 'rebuild-web', imageRef: image, configDigest, rebuild }), deps),
    ).toEqual({ ...event, time: f.clock.now().toISOString() });
    expect(f.registry.pushes).toHaveLength(2);
    expect(await f.registry.tags('apps/payments/web')).toEqual([TAG, `${TAG}-r1`]);
  });

  it.each([
    [undefined, '405906c9d5be'],
    [{ banId: 'b', number: 1 }, '405906c9d5be-r1'],
    [{ banId: 'b', number: 12 }, '405906c9d5be-r12'],
  ])('tags a build with rebuild %j as %s', (rebuild, tag) => {
    expect(publishedTag('405906c9d5be', rebuild)).toBe(tag);
  });
});

describe('repositoryForDefinition', () => {
  it.each([
    ['web/Dockerfile', 'payments', 'apps/payments/web'],
    ['Dockerfile', 'payments', 'apps/payments'],
    [
      'services/api/Containerfile',
      'git@git.example.internal:payments/api.git',
      'apps/payments/api/services/api',
    ],
    ['My App/Dockerfile', 'https://git.example/Team/Repo.git', 'apps/team/repo/my-app'],
    ['web/Dockerfile.worker', 'payments', 'apps/payments/web/dockerfile.worker'],
    ['a._b/--c--/Dockerfile', 'x', 'apps/x/a-b/c'],
  ])('names %s of %s as %s', (definition, repository, expected) => {
    expect(repositoryForDefinition(definition, repository)).toBe(expected);
  });

  it('refuses a name longer than the grammar allows', () => {
    expect(() => repositoryForDefinition(`${'a'.repeat(300)}/Dockerfile`, 'payments')).toThrow(
      InvalidImageTargetError,
    );
  });

  it('keeps the separators the grammar accepts', () => {
    expect(toPathComponent('web__ui-v2.1')).toBe('web__ui-v2.1');
  });
});

describe('basesFromLabels', () => {
  it('normalises the base name and ignores a missing or bad digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(basesFromLabels({ [BASE_NAME_LABEL]: 'node:20', [BASE_DIGEST_LABEL]: digest })).toEqual([
      { name: 'docker.io/library/node:20', digest },
    ]);
    expect(basesFromLabels({ [BASE_NAME_LABEL]: 'node:20', [BASE_DIGEST_LABEL]: 'sha256:zz' })).toEqual([]);
    expect(basesFromLabels({})).toEqual([]);
  });
});
