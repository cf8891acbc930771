import { createHash } from 'node:crypto';

/** The media type of a Docker schema-2 image manifest. */
export const SCHEMA2 = 'application/vnd.docker.distribution.manifest.v2+json';

/** `sha256:<hex>` of some bytes, as a registry names a blob or manifest. */
export const sha256 = (bytes: Buffer | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** The bytes of a schema-2 manifest naming one config blob and one layer blob, for tests that write images over HTTP. */
export function schema2Manifest(config: Buffer, layer: Buffer): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: SCHEMA2,
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        size: config.length,
        digest: sha256(config),
      },
      layers: [
        {
          mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
          size: layer.length,
          digest: sha256(layer),
        },
      ],
    }),
  );
}
