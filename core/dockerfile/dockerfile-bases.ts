import { formatImageRef, type ImageRef, parseImageRef } from '../image-ref/index.js';
import { type ExternalImage, externalImages } from './image-uses.js';
import type { DockerfileModel } from './model.js';
import { parseDockerfile } from './parse.js';

/** An external image of a Dockerfile with its parsed reference. */
export interface DockerfileBase {
  readonly image: ExternalImage;
  readonly ref: ImageRef;
  /** The normalised reference without a digest (`docker.io/library/node:20`): the base's name in labels and lineage. */
  readonly name: string;
}

/** Every external image in document order and the final stage's base, or the lines that keep them from being known. */
export type DockerfileBases =
  | {
      readonly ok: true;
      readonly bases: readonly DockerfileBase[];
      /** The external image the final stage is built on; absent for `FROM scratch`. */
      readonly final?: DockerfileBase;
    }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * The external images a Dockerfile pulls (FROM, `COPY --from`, `RUN --mount=from`) as the gate resolves them, with
 * the build args given, and the one its final stage is built on; each problem names its line.
 */
export function dockerfileBases(
  text: string,
  fileName: string,
  buildArgs: Readonly<Record<string, string>> = {},
): DockerfileBases {
  const { model, problems } = parseDockerfile(text, fileName);
  if (problems.length > 0)
    return { ok: false, problems: problems.map((p) => `line ${p.loc.line}: ${p.message}`) };
  if (model.stages.length === 0) return { ok: false, problems: [`${fileName} has no FROM instruction`] };
  const uses = externalImages(model, buildArgs);
  const unresolved = uses.unresolved.map((u) => `line ${u.loc.line}: ${u.reason}`);
  const bases: DockerfileBase[] = [];
  const invalid: string[] = [];
  for (const image of uses.images) {
    const parsed = parseImageRef(image.text);
    if (!parsed.ok) invalid.push(`line ${image.line}: ${parsed.error}`);
    else bases.push({ image, ref: parsed.ref, name: formatImageRef({ ...parsed.ref, digest: undefined }) });
  }
  if (unresolved.length > 0 || invalid.length > 0)
    return { ok: false, problems: [...unresolved, ...invalid] };
  const final = finalStageBase(model, uses.images);
  const finalBase = final === undefined ? undefined : bases.find((b) => b.image === final);
  return { ok: true, bases, ...(finalBase ? { final: finalBase } : {}) };
}

/** The external image the final stage is built on, following `FROM <earlier stage>` back; none for scratch. */
export function finalStageBase(
  model: DockerfileModel,
  images: readonly ExternalImage[],
): ExternalImage | undefined {
  let stage = model.stages.at(-1);
  while (stage !== undefined) {
    const index = stage.index;
    const external = images.find((i) => i.kind === 'from' && i.stage === index);
    if (external) return external;
    const named = stage.image.toLowerCase();
    stage = model.stages.find((s) => s.index < index && (s.name === named || String(s.index) === named));
  }
  return undefined;
}
