// EcrSupportMarkers over a mocked ECR client: a small in-memory ECR answers the SDK calls (tag mutability with
// exclusions as ECR applies it), and marker layers download over real HTTP from a local server.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BatchCheckLayerAvailabilityCommand,
  BatchGetImageCommand,
  CompleteLayerUploadCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  ImageAlreadyExistsException,
  ImageTagAlreadyExistsException,
  InitiateLayerUploadCommand,
  LayerAlreadyExistsException,
  LayersNotFoundException,
  PutImageCommand,
  RepositoryNotFoundException,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EcrSupportMarkers } from '../../../adapters/aws/ecr-support-markers.js';
import { OCI_MANIFEST_TYPE } from '../../../core/ban/support-marker-artifact.js';
import { type SupportMarker, supportMarkerTag } from '../../../core/ports/support-markers.js';
import { supportMarkersContract } from '../../contracts/support-markers.contract.js';
import { SCHEMA2, schema2Manifest, sha256 } from '../../helpers/image-manifest.js';

type Mutability = 'MUTABLE' | 'IMMUTABLE' | 'IMMUTABLE_WITH_EXCLUSION';
interface FakeRepository {
  mutability: Mutability;
  exclusions: string[];
  manifests: Map<string, { manifest: string; mediaType: string }>;
  tags: Map<string, string>;
  layers: Map<string, Buffer>;
}
const meta = { $metadata: {} };
const wildcard = (filter: string) =>
  new RegExp(`^${filter.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** The part of ECR the adapter uses, in memory: repositories created on push, tags, blobs, uploads. */
class FakeEcr {
  readonly repositories = new Map<string, FakeRepository>();
  readonly uploads = new Map<string, { repositoryName: string; bytes: Buffer }>();
  mutability: Mutability = 'IMMUTABLE_WITH_EXCLUSION';
  exclusions = ['sha256-*.unsupported'];
  /** Bytes served instead of a blob's, to play a tampered download. */
  readonly tampered = new Map<string, Buffer>();
  downloadBase = '';

  repository(name: string, create = false): FakeRepository {
    let found = this.repositories.get(name);
    if (found === undefined) {
      if (!create) throw new RepositoryNotFoundException({ message: `no repository ${name}`, ...meta });
      found = {
        mutability: this.mutability,
        exclusions: [...this.exclusions],
        manifests: new Map(),
        tags: new Map(),
        layers: new Map(),
      };
      this.repositories.set(name, found);
    }
    return found;
  }

  putImage(input: {
    repositoryName?: string;
    imageManifest?: string;
    imageManifestMediaType?: string;
    imageTag?: string;
  }) {
    const repo = this.repository(input.repositoryName ?? '', true);
    const manifest = input.imageManifest ?? '';
    const digest = sha256(manifest);
    const parsed = JSON.parse(manifest) as { config?: { digest: string }; layers?: { digest: string }[] };
    const blobs = [parsed.config?.digest, ...(parsed.layers ?? []).map((l) => l.digest)];
    if (blobs.some((b) => b !== undefined && !repo.layers.has(b))) {
      throw new LayersNotFoundException({ message: 'layers not found', ...meta });
    }
    const tag = input.imageTag;
    if (tag !== undefined) {
      const current = repo.tags.get(tag);
      if (current === digest) throw new ImageAlreadyExistsException({ message: 'exists', ...meta });
      const excluded = repo.exclusions.some((f) => wildcard(f).test(tag));
      const immutable =
        repo.mutability === 'IMMUTABLE' || (repo.mutability === 'IMMUTABLE_WITH_EXCLUSION' && !excluded);
      if (current !== undefined && immutable) {
        throw new ImageTagAlreadyExistsException({ message: `tag ${tag} is immutable`, ...meta });
      }
      repo.tags.set(tag, digest);
    }
    repo.manifests.set(digest, { manifest, mediaType: input.imageManifestMediaType ?? '' });
    return { image: { imageId: { imageDigest: digest, imageTag: tag }, imageManifest: manifest } };
  }

  /** Puts a small schema-2 image named `name` in `repositoryName`, as a build would, and returns its digest. */
  pushImage(repositoryName: string, name: string): string {
    const repo = this.repository(repositoryName, true);
    const layer = Buffer.from(`layer of ${name}`);
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { name } } }),
    );
    repo.layers.set(sha256(layer), layer);
    repo.layers.set(sha256(config), config);
    const manifest = schema2Manifest(config, layer).toString('utf8');
    this.putImage({
      repositoryName,
      imageManifest: manifest,
      imageManifestMediaType: SCHEMA2,
      imageTag: name,
    });
    return sha256(manifest);
  }
}

const ecr = mockClient(ECRClient);
let fake: FakeEcr;
let server: Server;
let uploadCounter = 0;

function wire(): void {
  ecr.reset();
  ecr.on(BatchGetImageCommand).callsFake((input) => {
    const repo = fake.repository(input.repositoryName);
    const images = [];
    const failures = [];
    for (const id of input.imageIds) {
      const digest = id.imageDigest ?? repo.tags.get(id.imageTag ?? '');
      const found = digest === undefined ? undefined : repo.manifests.get(digest);
      if (
        found === undefined ||
        (id.imageDigest !== undefined &&
          id.imageTag !== undefined &&
          repo.tags.get(id.imageTag) !== id.imageDigest)
      ) {
        failures.push({
          imageId: id,
          failureCode: 'ImageNotFound',
          failureReason: 'Requested image not found',
        });
      } else if (!(input.acceptedMediaTypes ?? [SCHEMA2]).includes(found.mediaType)) {
        failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'no accepted media type' });
      } else {
        images.push({
          imageId: { imageDigest: digest },
          imageManifest: found.manifest,
          imageManifestMediaType: found.mediaType,
        });
      }
    }
    return { images, failures };
  });
  ecr.on(BatchCheckLayerAvailabilityCommand).callsFake((input) => {
    const repo = fake.repository(input.repositoryName, true);
    return {
      layers: input.layerDigests.map((d: string) => ({
        layerDigest: d,
        layerAvailability: repo.layers.has(d) ? 'AVAILABLE' : 'UNAVAILABLE',
      })),
    };
  });
  ecr.on(InitiateLayerUploadCommand).callsFake((input) => {
    uploadCounter += 1;
    const uploadId = `upload-${uploadCounter}`;
    fake.uploads.set(uploadId, { repositoryName: input.repositoryName, bytes: Buffer.alloc(0) });
    return { uploadId, partSize: 10 * 1024 * 1024 };
  });
  ecr.on(UploadLayerPartCommand).callsFake((input) => {
    const upload = fake.uploads.get(input.uploadId);
    if (upload === undefined || input.partFirstByte !== upload.bytes.length) throw new Error('bad part');
    upload.bytes = Buffer.concat([upload.bytes, Buffer.from(input.layerPartBlob)]);
    expect(input.partLastByte).toBe(upload.bytes.length - 1);
    return { uploadId: input.uploadId, lastByteReceived: upload.bytes.length - 1 };
  });
  ecr.on(CompleteLayerUploadCommand).callsFake((input) => {
    const upload = fake.uploads.get(input.uploadId);
    if (upload === undefined) throw new Error('no upload');
    const repo = fake.repository(upload.repositoryName, true);
    const [digest] = input.layerDigests;
    if (sha256(upload.bytes) !== digest) throw new Error('digest mismatch');
    if (repo.layers.has(digest)) throw new LayerAlreadyExistsException({ message: 'exists', ...meta });
    repo.layers.set(digest, upload.bytes);
    return { layerDigest: digest };
  });
  ecr.on(PutImageCommand).callsFake((input) => fake.putImage(input));
  ecr.on(GetDownloadUrlForLayerCommand).callsFake((input) => {
    const repo = fake.repository(input.repositoryName);
    if (!repo.layers.has(input.layerDigest)) throw new Error('LayersNotFound');
    return {
      layerDigest: input.layerDigest,
      downloadUrl: `${fake.downloadBase}/${encodeURIComponent(input.repositoryName)}/${input.layerDigest}?X-Amz-Signature=abc`,
    };
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const [, repositoryName = '', digest = ''] = (req.url ?? '').split('?')[0]?.split('/') ?? [];
    const bytes =
      fake.tampered.get(digest) ??
      fake.repositories.get(decodeURIComponent(repositoryName))?.layers.get(digest);
    if (bytes === undefined) {
      res.writeHead(403).end('<Error>AccessDenied</Error>');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length })
      .end(bytes);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});
afterAll(async () => {
  ecr.restore();
  await new Promise((resolve) => server.close(resolve));
});

const newFake = (): FakeEcr => {
  fake = new FakeEcr();
  fake.downloadBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  wire();
  return fake;
};
const adapter = () =>
  new EcrSupportMarkers({ client: new ECRClient({ region: 'eu-west-1' }), repositoryPrefix: 'drydock' });

supportMarkersContract('EcrSupportMarkers (ECR over a mocked SDK client)', async () => {
  const ecrFake = newFake();
  return {
    markers: adapter(),
    pushImage: async (repository, name) => ecrFake.pushImage(`drydock/${repository}`, name),
    dispose: async () => {},
  };
});

describe('EcrSupportMarkers', () => {
  let image: string;
  const marker = (banId: string): SupportMarker => ({
    subject: image,
    unsupported: true,
    bans: [{ banId, reason: `reason of ${banId}` }],
    at: '2026-12-07T10:00:00.000Z',
  });
  beforeEach(() => {
    newFake();
    image = fake.pushImage('drydock/apps/shop', 'v1');
  });

  it('puts the marker manifest under the marker tag of the prefixed repository, about the image as ECR serves it', async () => {
    await adapter().put('apps/shop', marker('ban-1'));
    const put = ecr.commandCalls(PutImageCommand).at(-1)?.args[0].input;
    expect(put).toMatchObject({
      repositoryName: 'drydock/apps/shop',
      imageTag: supportMarkerTag(image),
      imageManifestMediaType: OCI_MANIFEST_TYPE,
    });
    const manifest = JSON.parse(put?.imageManifest ?? '{}');
    const served = fake.repositories.get('drydock/apps/shop')?.manifests.get(image)?.manifest ?? '';
    expect(manifest.subject).toEqual({ mediaType: SCHEMA2, digest: image, size: Buffer.byteLength(served) });
    expect(manifest.annotations['io.drydock.ban']).toBe('ban-1');
  });

  it('uploads only the blobs ECR does not hold yet', async () => {
    await adapter().put('apps/shop', marker('ban-1'));
    expect(ecr.commandCalls(CompleteLayerUploadCommand)).toHaveLength(2);
    await adapter().put('apps/shop', marker('ban-2'));
    // The empty config is there already; only the new marker layer goes up.
    expect(ecr.commandCalls(CompleteLayerUploadCommand)).toHaveLength(3);
  });

  it('says what the repository needs when its immutable tags have no exclusion for marker tags', async () => {
    fake.repositories.get('drydock/apps/shop')!.mutability = 'IMMUTABLE';
    await adapter().put('apps/shop', marker('ban-1'));
    await expect(adapter().put('apps/shop', marker('ban-2'))).rejects.toMatchObject({
      code: 'MARKER_TAG_IMMUTABLE',
      message: expect.stringMatching(/IMMUTABLE_WITH_EXCLUSION.*sha256-\*\.unsupported/),
    });
    expect((await adapter().get('apps/shop', image))?.bans[0]?.banId).toBe('ban-1');
  });

  it('refuses a marker layer whose download does not match its digest', async () => {
    await adapter().put('apps/shop', marker('ban-1'));
    const put = JSON.parse(ecr.commandCalls(PutImageCommand).at(-1)?.args[0].input.imageManifest ?? '{}');
    fake.tampered.set(put.layers[0].digest, Buffer.from(JSON.stringify({ ...marker('ban-forged') })));
    await expect(adapter().get('apps/shop', image)).rejects.toMatchObject({ code: 'SUPPORT_MARKER_INVALID' });
  });

  it('refuses a marker tag that holds something other than a marker of that image', async () => {
    const other = fake.pushImage('drydock/apps/shop', 'v2');
    const repo = fake.repositories.get('drydock/apps/shop')!;
    repo.tags.set(supportMarkerTag(image), other);
    repo.manifests.get(other)!.mediaType = OCI_MANIFEST_TYPE;
    await expect(adapter().get('apps/shop', image)).rejects.toMatchObject({ code: 'SUPPORT_MARKER_INVALID' });
  });

  it('wraps a throttled call as a retryable AWS error naming the action', async () => {
    ecr.on(BatchGetImageCommand).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(adapter().get('apps/shop', image)).rejects.toMatchObject({
      code: 'AWS_CALL_FAILED',
      retryable: true,
      message: expect.stringContaining('ecr:BatchGetImage'),
    });
  });
});
