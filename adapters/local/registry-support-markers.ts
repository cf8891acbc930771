import {
  digestOfText,
  type MarkerSubject,
  MarkerSubjectNotFoundError,
  OCI_MANIFEST_TYPE,
  parseSupportMarkerLayer,
  parseSupportMarkerManifest,
  SupportMarkerInvalidError,
  supportMarkerArtifact,
} from '../../core/ban/support-marker-artifact.js';
import { DrydockError } from '../../core/errors.js';
import { PATH_COMPONENT } from '../../core/image-ref/grammar.js';
import {
  InvalidImageTargetError,
  RegistryUnauthorizedError,
  RegistryUnavailableError,
} from '../../core/ports/image-registry.js';
import {
  type SupportMarker,
  type SupportMarkers,
  supportMarkerTag,
} from '../../core/ports/support-markers.js';
import type { PipelineCredential } from './registry-push-guard.js';

/** Options of `RegistrySupportMarkers`. */
export interface RegistrySupportMarkersProps {
  /** The push guard's `host:port`, the registry's public address. */
  readonly host: string;
  /** The pipeline credential: writes go through the guard, which lets only it push. */
  readonly credential: PipelineCredential;
  /** Timeout of one registry HTTP request. @default 30000 */
  readonly requestTimeoutMs?: number;
}

const IMAGE_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');
const DIGEST = /^sha256:[a-f0-9]{64}$/;
// A marker is a few hundred bytes; a bigger answer is not one drydock wrote.
const MARKER_LIMIT = 1024 * 1024;

function checkRepository(repository: string): void {
  const valid =
    repository.length > 0 &&
    repository.length <= 255 &&
    repository.split('/').every((c) => PATH_COMPONENT.test(c));
  if (!valid) throw new InvalidImageTargetError(`invalid repository ${JSON.stringify(repository)}`);
}

function checkDigest(digest: string): void {
  if (!DIGEST.test(digest))
    throw new InvalidImageTargetError(`invalid image digest ${JSON.stringify(digest)}`);
}

/**
 * The local `SupportMarkers`: marker artifacts written through the push guard with the pipeline credential
 * over the registry HTTP API v2 (blobs, then the manifest under `sha256-<hex>.unsupported`), read anonymously.
 */
export class RegistrySupportMarkers implements SupportMarkers {
  private readonly props: RegistrySupportMarkersProps;
  private readonly auth: string;

  constructor(props: RegistrySupportMarkersProps) {
    this.props = props;
    const { username, secret } = props.credential;
    this.auth = `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;
  }

  async put(repository: string, marker: SupportMarker): Promise<void> {
    checkRepository(repository);
    checkDigest(marker.subject);
    const subject = await this.subjectOf(repository, marker.subject);
    const artifact = supportMarkerArtifact(marker, subject);
    await this.uploadBlob(repository, artifact.config);
    await this.uploadBlob(repository, artifact.layer);
    const tag = supportMarkerTag(marker.subject);
    const path = `/v2/${repository}/manifests/${tag}`;
    const answer = await this.call(path, {
      method: 'PUT',
      headers: { authorization: this.auth, 'content-type': OCI_MANIFEST_TYPE },
      body: artifact.manifest,
    });
    if (answer.status !== 201) await this.fail(answer, `PUT ${path}`);
    await answer.body?.cancel();
  }

  async get(repository: string, digest: string): Promise<SupportMarker | undefined> {
    checkRepository(repository);
    checkDigest(digest);
    const path = `/v2/${repository}/manifests/${supportMarkerTag(digest)}`;
    // Every manifest type is accepted: a marker tag holding an image is reported as not a marker, not as a fault.
    const answer = await this.call(path, { headers: { accept: IMAGE_TYPES } });
    if (answer.status === 404) {
      await answer.body?.cancel();
      return undefined;
    }
    if (answer.status !== 200) await this.fail(answer, `GET ${path}`);
    const manifest = parseSupportMarkerManifest(await this.text(answer, path));
    if (manifest === undefined || manifest.subject.digest !== digest) {
      throw new SupportMarkerInvalidError(
        `${this.props.host}/${repository}:${supportMarkerTag(digest)} is not a drydock support marker of ${digest}`,
      );
    }
    const blobPath = `/v2/${repository}/blobs/${manifest.layers[0].digest}`;
    const blob = await this.call(blobPath, { headers: { accept: '*/*' } });
    if (blob.status !== 200) await this.fail(blob, `GET ${blobPath}`);
    return parseSupportMarkerLayer(manifest, await this.text(blob, blobPath));
  }

  /** The descriptor of the image a marker is about, as the registry serves its manifest. */
  private async subjectOf(repository: string, digest: string): Promise<MarkerSubject> {
    const path = `/v2/${repository}/manifests/${digest}`;
    const answer = await this.call(path, { method: 'HEAD', headers: { accept: IMAGE_TYPES } });
    if (answer.status === 404)
      throw new MarkerSubjectNotFoundError(`${this.props.host}/${repository}`, digest);
    if (answer.status !== 200) await this.fail(answer, `HEAD ${path}`);
    const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const size = Number(answer.headers.get('content-length'));
    if (
      answer.headers.get('docker-content-digest') !== digest ||
      mediaType === '' ||
      !Number.isSafeInteger(size)
    ) {
      throw new DrydockError(
        `registry ${this.props.host} gave no usable descriptor for ${repository}@${digest}`,
        {
          code: 'REGISTRY_REQUEST_FAILED',
        },
      );
    }
    return { mediaType, digest, size };
  }

  /** Uploads a small blob in one request unless the repository has it already. */
  private async uploadBlob(repository: string, content: string): Promise<void> {
    const digest = digestOfText(content);
    const blobPath = `/v2/${repository}/blobs/${digest}`;
    const head = await this.call(blobPath, { method: 'HEAD' });
    if (head.status === 200) return;
    const uploads = `/v2/${repository}/blobs/uploads/`;
    const start = await this.call(uploads, { method: 'POST', headers: { authorization: this.auth } });
    if (start.status !== 202) await this.fail(start, `POST ${uploads}`);
    await start.body?.cancel();
    // Only the path and query of the upload location are kept: the upload always goes to this registry.
    const location = new URL(start.headers.get('location') ?? '', `http://${this.props.host}`);
    location.searchParams.set('digest', digest);
    const path = `${location.pathname}${location.search}`;
    const done = await this.call(path, {
      method: 'PUT',
      headers: { authorization: this.auth, 'content-type': 'application/octet-stream' },
      body: content,
    });
    if (done.status !== 201) await this.fail(done, `PUT ${location.pathname}`);
    await done.body?.cancel();
  }

  private async call(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`http://${this.props.host}${path}`, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.props.requestTimeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new RegistryUnavailableError(
        `registry ${this.props.host} is not answering: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  private async text(answer: Response, path: string): Promise<string> {
    const declared = Number(answer.headers.get('content-length') ?? 0);
    if (declared > MARKER_LIMIT) {
      await answer.body?.cancel();
      throw new SupportMarkerInvalidError(`${path} is ${declared} bytes, too large for a support marker`);
    }
    const text = await answer.text();
    if (Buffer.byteLength(text) > MARKER_LIMIT) {
      throw new SupportMarkerInvalidError(`${path} is too large for a support marker`);
    }
    return text;
  }

  private async fail(answer: Response, what: string): Promise<never> {
    const body = (await answer.text().catch(() => '')).slice(0, 300);
    const message = `registry ${this.props.host} answered ${what} with ${answer.status}: ${body}`;
    if (answer.status === 401 || answer.status === 403) throw new RegistryUnauthorizedError(message);
    if (answer.status >= 500 || answer.status === 429) throw new RegistryUnavailableError(message);
    throw new DrydockError(message, { code: 'REGISTRY_REQUEST_FAILED' });
  }
}
