import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BuildahImageRegistry } from '../../../adapters/local/buildah-image-registry.js';
import { SqliteBuildRecords } from '../../../adapters/local/sqlite-build-records.js';
import { SqliteLineageStore } from '../../../adapters/local/sqlite-lineage-store.js';
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
import { systemClock } from '../../../core/ports/clock.js';
import { InvalidImageTargetError } from '../../../core/ports/image-registry.js';
import {
  createPipelineState,
  type PipelineState,
  REPOSITORY,
} from '../../fixtures/pipeline/pipeline-state.js';

const APP = 'localhost/apps/payments-web:build-1';
const COMMIT = '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb';
const DEFINITION = 'web/Dockerfile';
let state: PipelineState;
let registry: BuildahImageRegistry;
let records: SqliteBuildRecords;
let deps: PublishImageDeps;
let base: { name: string; digest: string; configDigest: string };
let appConfigDigest: string;

beforeAll(async () => {
  state = await createPipelineState({ registry: true });
  const { guard, credential } = state.registry!;
  registry = new BuildahImageRegistry({ host: guard.host, credential, containerEnv: state.containerEnv });
  // The base is published first, as ops publish theirs; the app names the pushed digest in its labels.
  const baseConfigDigest = await state.buildBase();
  const pushedBase = await registry.push('localhost/base/busybox:1.36.0', {
    repository: 'base/busybox',
    tag: '1.36.0',
  });
  base = { name: pushedBase.ref, digest: pushedBase.digest, configDigest: baseConfigDigest };
  appConfigDigest = await state.buildApp(APP, {
    [BASE_NAME_LABEL]: base.name,
    [BASE_DIGEST_LABEL]: base.digest,
    'org.opencontainers.image.revision': COMMIT,
  });
  records = new SqliteBuildRecords(state.db);
  deps = { registry, records, clock: systemClock };
}, 90_000);

afterAll(async () => {
  await state?.cleanup();
});

function tested(fields: {
  buildId: string;
  passed?: boolean;
  configDigest?: string;
  imageRef?: string;
  rebuild?: ImageTestedEvent['detail']['rebuild'];
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
    },
  };
}

async function testing(buildId: string, rebuild?: string): Promise<void> {
  await records.enqueue({
    buildId,
    repository: REPOSITORY,
    definition: DEFINITION,
    commit: COMMIT,
    correlationId: 'push-1',
    ...(rebuild ? { rebuild } : {}),
  });
  await records.transition(buildId, 'building');
  await records.transition(buildId, 'testing');
}

describe('publishImage', () => {
  it('pushes the tested image once, reads its digest back anonymously, and records lineage on its base', async () => {
    await testing('build-web');
    const push = vi.spyOn(registry, 'push');
    const event = await publishImage(tested({ buildId: 'build-web' }), deps);
    expect(ImagePublishedEvent.parse(event)).toEqual(event);
    const tag = COMMIT.slice(0, 12);
    expect(event.detail).toMatchObject({
      ref: `${registry.host}/apps/payments/web:${tag}`,
      configDigest: appConfigDigest,
      bases: [{ name: base.name, digest: base.digest }],
      definition: DEFINITION,
      repository: REPOSITORY,
      commit: COMMIT,
    });
    const anonymous = await fetch(`${state.registry!.guard.url}/v2/apps/payments/web/manifests/${tag}`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get('docker-content-digest')).toBe(event.detail.digest);
    expect(await records.get('build-web')).toMatchObject({
      state: 'published',
      imageDigest: event.detail.digest,
    });

    const again = await publishImage(tested({ buildId: 'build-web' }), deps);
    expect(push).toHaveBeenCalledTimes(1);
    expect(again.id).toBe(event.id);
    expect(again.detail).toEqual(event.detail);
    expect(await registry.tags('apps/payments/web')).toEqual([tag]);

    const lineage = new SqliteLineageStore(state.db);
    expect(await recordLineage(event, { lineage })).toEqual({ digest: event.detail.digest, recorded: true });
    const builtOnBase = await lineage.imagesBuiltOn(base.digest);
    expect(builtOnBase.map((d) => [d.image.digest, d.depth])).toEqual([[event.detail.digest, 1]]);
    push.mockRestore();
  });

  it('refuses to overwrite the tag of a (definition, commit) with a different image', async () => {
    const other = tested({ buildId: 'build-web', configDigest: base.configDigest });
    await expect(publishImage(other, deps)).rejects.toBeInstanceOf(ImageTagConflictError);
    expect(await registry.inspect(`apps/payments/web:${COMMIT.slice(0, 12)}`)).toMatchObject({
      configDigest: appConfigDigest,
    });
  });

  it('refuses an image that did not pass its tests', async () => {
    await expect(
      publishImage(tested({ buildId: 'build-failed', passed: false }), deps),
    ).rejects.toBeInstanceOf(ImageNotPassedError);
  });

  it('takes the bases from the basesOf lookup when given', async () => {
    const bases = [{ name: 'docker.io/library/busybox:1.36', digest: base.digest }];
    const event = await publishImage(tested({ buildId: 'build-web' }), {
      ...deps,
      basesOf: async () => bases,
    });
    expect(event.detail.bases).toEqual(bases);
  });
});

describe("publishImage for a ban's rebuild", () => {
  it("publishes under <commit12>-r<number>, never the push's tag, and carries the rebuild on", async () => {
    // The push's image, published by the first test or here when this one runs alone.
    if (!(await records.get('build-web'))) await testing('build-web');
    const pushed = await publishImage(tested({ buildId: 'build-web' }), deps);
    const image = 'localhost/apps/payments-web:rebuild-1';
    const configDigest = await state.buildApp(image, {
      [BASE_NAME_LABEL]: base.name,
      [BASE_DIGEST_LABEL]: base.digest,
      'io.drydock.ban': 'ban-1',
    });
    const rebuild = { banId: 'ban-1', number: 1, of: pushed.detail.digest, substitutions: [] };
    await testing('rebuild-web', 'ban-1#1');
    const event = await publishImage(
      tested({ buildId: 'rebuild-web', imageRef: image, configDigest, rebuild }),
      deps,
    );
    expect(ImagePublishedEvent.parse(event)).toEqual(event);
    const tag = `${COMMIT.slice(0, 12)}-r1`;
    expect(event.detail).toMatchObject({
      ref: `${registry.host}/apps/payments/web:${tag}`,
      configDigest,
      rebuild,
    });
    expect(event.id).not.toBe(pushed.id);
    expect(pushed.detail).not.toHaveProperty('rebuild');
    // The push's tag still holds the image the rebuild replaces.
    expect(await registry.inspect(pushed.detail.ref)).toMatchObject({
      digest: pushed.detail.digest,
      configDigest: appConfigDigest,
    });
    expect(await records.get('rebuild-web')).toMatchObject({
      state: 'published',
      imageDigest: event.detail.digest,
    });
    expect(await records.get('build-web')).toMatchObject({ imageDigest: pushed.detail.digest });
    // Redelivered: the same event, nothing pushed again.
    expect(
      await publishImage(tested({ buildId: 'rebuild-web', imageRef: image, configDigest, rebuild }), deps),
    ).toEqual({ ...event, time: expect.any(String) });
    expect([...(await registry.tags('apps/payments/web'))].sort()).toEqual([COMMIT.slice(0, 12), tag]);
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
