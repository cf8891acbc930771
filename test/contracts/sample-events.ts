import { createHash } from 'node:crypto';
import type { BuildRequestedEvent, ImagePublishedEvent } from '../../core/events/index.js';

/** A valid sha256 digest derived from a name, so that tests read `digest('debian')`. */
export const digest = (name: string): string => `sha256:${createHash('sha256').update(name).digest('hex')}`;

/** A valid commit id derived from a name. */
export const commit = (name: string): string => createHash('sha1').update(name).digest('hex');

/** An Image Published event for an image named `name` built on the images named in `bases`. */
export function published(
  name: string,
  bases: readonly string[],
  at = '2025-03-14T09:00:00Z',
): ImagePublishedEvent {
  return {
    id: `published-${name}`,
    source: 'drydock',
    detailType: 'Image Published',
    time: at,
    detail: {
      ref: `registry.local/${name}@${digest(name)}`,
      digest: digest(name),
      configDigest: digest(`${name}-config`),
      bases: bases.map((b) => ({ name: `registry.local/${b}:1`, digest: digest(b) })),
      definition: `${name}/Dockerfile`,
      repository: name.startsWith('ops') ? 'ops/bases' : 'team/apps',
      commit: commit(name),
    },
  };
}

/** A Build Requested event with the given id. */
export function buildRequested(id: string): BuildRequestedEvent {
  return {
    id,
    source: 'drydock',
    detailType: 'Build Requested',
    time: '2025-03-14T09:00:00.000Z',
    detail: {
      buildId: `build-${id}`,
      repository: 'team/apps',
      commit: commit(id),
      definition: 'Dockerfile',
      dockerfile: 'FROM registry.local/base:1\n',
      substitutions: [],
      correlationId: id,
    },
  };
}
