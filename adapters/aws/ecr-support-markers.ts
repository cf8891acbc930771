import {
  BatchCheckLayerAvailabilityCommand,
  BatchGetImageCommand,
  type BatchGetImageCommandOutput,
  CompleteLayerUploadCommand,
  type ECRClient,
  GetDownloadUrlForLayerCommand,
  type Image,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import {
  digestOfText,
  MarkerSubjectNotFoundError,
  OCI_MANIFEST_TYPE,
  parseSupportMarkerLayer,
  parseSupportMarkerManifest,
  SupportMarkerInvalidError,
  supportMarkerArtifact,
} from '../../core/ban/support-marker-artifact.js';
import { DrydockError } from '../../core/errors.js';
import { PATH_COMPONENT } from '../../core/image-ref/grammar.js';
import { InvalidImageTargetError, RegistryUnavailableError } from '../../core/ports/image-registry.js';
import {
  type SupportMarker,
  type SupportMarkers,
  supportMarkerTag,
} from '../../core/ports/support-markers.js';
import { AwsServiceError, awsCall } from './aws-service-error.js';

/** Options of `EcrSupportMarkers`. */
export interface EcrSupportMarkersProps {
  readonly client: ECRClient;
  /** The account of the registry. @default the caller's account */
  readonly registryId?: string;
  /** Prefix of the ECR repository names (`drydock` → `drydock/<repository>`). @default none */
  readonly repositoryPrefix?: string;
  /** Timeout of the download of a marker layer from its presigned URL. @default 30000 */
  readonly downloadTimeoutMs?: number;
}

/**
 * ECR refused to replace a marker tag: the repository's tags are immutable and the marker tags are not
 * excluded. The repository needs `IMMUTABLE_WITH_EXCLUSION` with the wildcard filter `sha256-*.unsupported`.
 */
export class MarkerTagImmutableError extends DrydockError {
  override readonly name = 'MarkerTagImmutableError';

  constructor(repositoryName: string, tag: string, cause: unknown) {
    super(
      `ECR repository ${repositoryName} refused to replace ${tag}: its tags are immutable; set its tag mutability to ` +
        'IMMUTABLE_WITH_EXCLUSION with the WILDCARD exclusion filter "sha256-*.unsupported" (docs/aws.md, "Support markers")',
      { code: 'MARKER_TAG_IMMUTABLE', cause },
    );
  }
}

const IMAGE_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const MARKER_LIMIT = 1024 * 1024;
// ImageFailure codes that mean "no such image" rather than a fault.
const ABSENT = new Set(['ImageNotFound', 'ImageTagDoesNotMatchDigest']);

const nameOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null ? (error as { name?: string }).name : undefined;

/**
 * The AWS `SupportMarkers`: the same marker artifact as the local registry's, in the image's ECR repository
 * under `sha256-<hex>.unsupported` (blobs by layer upload, the manifest by `PutImage`), read by `BatchGetImage`
 * and the layer's download URL. Only the build role may push (the repository policy says so).
 */
export class EcrSupportMarkers implements SupportMarkers {
  private readonly props: EcrSupportMarkersProps;

  constructor(props: EcrSupportMarkersProps) {
    this.props = props;
  }

  async put(repository: string, marker: SupportMarker): Promise<void> {
    const repositoryName = this.repositoryName(repository);
    if (!DIGEST.test(marker.subject)) {
      throw new InvalidImageTargetError(`invalid image digest ${JSON.stringify(marker.subject)}`);
    }
    const image = await this.image(repositoryName, { imageDigest: marker.subject }, IMAGE_TYPES);
    if (image?.imageManifest === undefined) {
      throw new MarkerSubjectNotFoundError(`ECR ${repositoryName}`, marker.subject);
    }
    const artifact = supportMarkerArtifact(marker, {
      mediaType: image.imageManifestMediaType ?? mediaTypeOf(image.imageManifest),
      digest: marker.subject,
      size: Buffer.byteLength(image.imageManifest),
    });
    await this.uploadBlobs(repositoryName, [artifact.config, artifact.layer]);
    const tag = supportMarkerTag(marker.subject);
    try {
      await this.props.client.send(
        new PutImageCommand({
          ...this.registry(),
          repositoryName,
          imageManifest: artifact.manifest,
          imageManifestMediaType: OCI_MANIFEST_TYPE,
          imageTag: tag,
        }),
      );
    } catch (error) {
      // The same manifest under the same tag already: a redelivered ban, nothing to do.
      if (nameOf(error) === 'ImageAlreadyExistsException') return;
      if (nameOf(error) === 'ImageTagAlreadyExistsException') {
        throw new MarkerTagImmutableError(repositoryName, tag, error);
      }
      throw new AwsServiceError('ecr:PutImage', error);
    }
  }

  async get(repository: string, digest: string): Promise<SupportMarker | undefined> {
    const repositoryName = this.repositoryName(repository);
    if (!DIGEST.test(digest))
      throw new InvalidImageTargetError(`invalid image digest ${JSON.stringify(digest)}`);
    const tag = supportMarkerTag(digest);
    const image = await this.image(repositoryName, { imageTag: tag }, [OCI_MANIFEST_TYPE]);
    if (image?.imageManifest === undefined) return undefined;
    const manifest = parseSupportMarkerManifest(image.imageManifest);
    if (manifest === undefined || manifest.subject.digest !== digest) {
      throw new SupportMarkerInvalidError(
        `ECR ${repositoryName}:${tag} is not a drydock support marker of ${digest}`,
      );
    }
    const layerDigest = manifest.layers[0].digest;
    const { downloadUrl } = await awsCall('ecr:GetDownloadUrlForLayer', () =>
      this.props.client.send(
        new GetDownloadUrlForLayerCommand({ ...this.registry(), repositoryName, layerDigest }),
      ),
    );
    if (downloadUrl === undefined) {
      throw new DrydockError(`ECR gave no download URL for ${repositoryName}@${layerDigest}`, {
        code: 'REGISTRY_REQUEST_FAILED',
      });
    }
    return parseSupportMarkerLayer(
      manifest,
      await this.download(downloadUrl, `${repositoryName}@${layerDigest}`),
    );
  }

  /** One image by tag or digest; undefined when ECR has no such image or repository. */
  private async image(
    repositoryName: string,
    imageId: { imageTag?: string; imageDigest?: string },
    acceptedMediaTypes: string[],
  ): Promise<Image | undefined> {
    let answer: BatchGetImageCommandOutput;
    try {
      answer = await this.props.client.send(
        new BatchGetImageCommand({
          ...this.registry(),
          repositoryName,
          imageIds: [imageId],
          acceptedMediaTypes,
        }),
      );
    } catch (error) {
      if (nameOf(error) === 'RepositoryNotFoundException') return undefined;
      throw new AwsServiceError('ecr:BatchGetImage', error);
    }
    const [image] = answer.images ?? [];
    if (image !== undefined) return image;
    const failure = answer.failures?.[0];
    if (failure === undefined || ABSENT.has(failure.failureCode ?? '')) return undefined;
    throw new AwsServiceError('ecr:BatchGetImage', {
      name: failure.failureCode ?? 'UnknownError',
      message: failure.failureReason ?? 'image failure',
    });
  }

  /** Uploads the small blobs ECR does not hold yet, each in one part. */
  private async uploadBlobs(repositoryName: string, blobs: readonly string[]): Promise<void> {
    const byDigest = new Map(blobs.map((b) => [digestOfText(b), b]));
    const { layers } = await awsCall('ecr:BatchCheckLayerAvailability', () =>
      this.props.client.send(
        new BatchCheckLayerAvailabilityCommand({
          ...this.registry(),
          repositoryName,
          layerDigests: [...byDigest.keys()],
        }),
      ),
    );
    const available = new Set(
      (layers ?? []).filter((l) => l.layerAvailability === 'AVAILABLE').map((l) => l.layerDigest),
    );
    for (const [digest, content] of byDigest) {
      if (available.has(digest)) continue;
      const { uploadId } = await awsCall('ecr:InitiateLayerUpload', () =>
        this.props.client.send(new InitiateLayerUploadCommand({ ...this.registry(), repositoryName })),
      );
      const bytes = Buffer.from(content, 'utf8');
      await awsCall('ecr:UploadLayerPart', () =>
        this.props.client.send(
          new UploadLayerPartCommand({
            ...this.registry(),
            repositoryName,
            uploadId,
            partFirstByte: 0,
            partLastByte: bytes.length - 1,
            layerPartBlob: bytes,
          }),
        ),
      );
      try {
        await this.props.client.send(
          new CompleteLayerUploadCommand({
            ...this.registry(),
            repositoryName,
            uploadId,
            layerDigests: [digest],
          }),
        );
      } catch (error) {
        // Another writer completed the same blob between the check and now.
        if (nameOf(error) !== 'LayerAlreadyExistsException')
          throw new AwsServiceError('ecr:CompleteLayerUpload', error);
      }
    }
  }

  private async download(url: string, what: string): Promise<string> {
    if (!url.startsWith('https://') && !url.startsWith('http://')) {
      throw new DrydockError(`ECR gave a download URL for ${what} that is not HTTP`, {
        code: 'REGISTRY_REQUEST_FAILED',
      });
    }
    let answer: Response;
    try {
      answer = await fetch(url, { signal: AbortSignal.timeout(this.props.downloadTimeoutMs ?? 30_000) });
    } catch (error) {
      throw new RegistryUnavailableError(`download of ${what} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (answer.status !== 200) {
      await answer.body?.cancel();
      const message = `download of ${what} answered ${answer.status}`;
      if (answer.status >= 500 || answer.status === 429) throw new RegistryUnavailableError(message);
      throw new DrydockError(message, { code: 'REGISTRY_REQUEST_FAILED' });
    }
    if (Number(answer.headers.get('content-length') ?? 0) > MARKER_LIMIT) {
      await answer.body?.cancel();
      throw new SupportMarkerInvalidError(`${what} is too large for a support marker`);
    }
    return answer.text();
  }

  private repositoryName(repository: string): string {
    const prefix = this.props.repositoryPrefix;
    const name = prefix === undefined || prefix === '' ? repository : `${prefix}/${repository}`;
    const valid =
      repository.length > 0 &&
      name.length <= 256 &&
      repository.split('/').every((c) => PATH_COMPONENT.test(c));
    if (!valid) throw new InvalidImageTargetError(`invalid repository ${JSON.stringify(repository)}`);
    return name;
  }

  private registry(): { registryId?: string } {
    return this.props.registryId === undefined ? {} : { registryId: this.props.registryId };
  }
}

/** The media type a manifest declares in itself, for an image ECR returned without one. */
function mediaTypeOf(manifest: string): string {
  try {
    const declared = (JSON.parse(manifest) as { mediaType?: unknown }).mediaType;
    if (typeof declared === 'string' && declared !== '') return declared;
  } catch {
    // Not JSON: ECR would not have stored it; fall through to the OCI default.
  }
  return OCI_MANIFEST_TYPE;
}
