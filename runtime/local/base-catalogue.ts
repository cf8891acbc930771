import { join } from 'node:path';
import { localBaseCatalogue, pushTo } from './bases.js';
import type { BaseCatalogue } from './http-api.js';
import type { LocalPipeline } from './open-local-pipeline.js';

/** The base-image catalogue of a running local pipeline: its builder, its registry, scratch space in its state dir. */
export function baseCatalogue(pipeline: LocalPipeline): BaseCatalogue {
  return localBaseCatalogue({
    builder: pipeline.builder,
    registry: pipeline.registry,
    push: pushTo(pipeline.registry),
    registryHost: pipeline.registryHost,
    workDir: join(pipeline.stateDir, 'containers', 'tmp'),
  });
}
