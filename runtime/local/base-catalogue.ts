import { seedBusyboxBases } from '../../adapters/local/busybox-base-seeder.js';
import type { BaseCatalogue } from './http-api.js';
import type { LocalPipeline } from './open-local-pipeline.js';

// TEMPORARY glue until runtime/local/bases.ts lands (not to be committed as is).
export function baseCatalogue(pipeline: LocalPipeline): BaseCatalogue {
  const list = async () => {
    const out = [];
    for (const repository of await pipeline.registry.repositories()) {
      if (!repository.startsWith('base/')) continue;
      for (const tag of await pipeline.registry.tags(repository)) {
        const d = await pipeline.registry.inspect(`${repository}:${tag}`);
        if (d)
          out.push({
            ref: `${pipeline.registryHost}/${repository}:${tag}`,
            digest: d.digest,
            repository,
            tag,
          });
      }
    }
    return out;
  };
  return {
    list,
    async seed(_r, progress) {
      await seedBusyboxBases({
        builder: pipeline.builder,
        registryHost: pipeline.registryHost,
        push: async (localTag) => {
          const [name, tag] = localTag.slice(pipeline.registryHost.length + 1).split(':');
          return pipeline.registry.push(localTag, { repository: name!, tag: tag! });
        },
        log: progress,
      });
      return list();
    },
    async import() {
      throw new Error('not yet');
    },
  };
}
