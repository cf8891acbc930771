import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerfileBases } from '../../../core/dockerfile/dockerfile-bases.js';
import { buildMarkedBases, buildText, readInImage } from '../../fixtures/buildah-probe.js';
import {
  type ContainerStorage,
  createContainerStorage,
} from '../../fixtures/image-tests/container-storage.js';

// The images a Dockerfile pulls through COPY --from and RUN --mount=from, as the gate resolves them, against what the
// real buildah 1.28 copies or mounts: a Dockerfile that makes buildah use an image the gate did not list must be
// refused (the gate cannot resolve it), never passed with another image judged in its place.
const GOOD = 'localhost/uses/good:1';
const EVIL = 'localhost/uses/evil:1';
let storage: ContainerStorage;

/** Builds with the real buildah; what the image's /used holds (the /base of the image buildah used), or the error. */
async function used(text: string): Promise<string> {
  const built = await buildText(storage, text, 'localhost/uses/case');
  if (!built.ok) return `error: ${built.error}`;
  return (await readInImage(storage, built.tag, '/used')).trim();
}

/** The gate's reading: the images it judges, or that it refuses the file. */
function gateSees(text: string): string[] | 'refused' {
  const bases = dockerfileBases(text, 'Dockerfile');
  return bases.ok ? [...new Set(bases.bases.map((b) => b.image.text))] : 'refused';
}

beforeAll(async () => {
  storage = await createContainerStorage();
  await buildMarkedBases(storage, { good: GOOD, evil: EVIL });
}, 120_000);

afterAll(async () => {
  await storage?.cleanup();
});

describe('images buildah 1.28 copies or mounts from, against the gate', { timeout: 60_000 }, () => {
  it('a stage ARG redeclaring a global one: buildah takes the stage value for COPY --from and RUN --mount', async () => {
    for (const use of [
      'COPY --from=$X /base /used',
      'RUN --mount=type=bind,from=$X,target=/m cat /m/base > /used',
    ]) {
      const text = `ARG X=${GOOD}\nFROM ${GOOD}\nARG X=${EVIL}\n${use}\n`;
      expect(await used(text)).toBe('evil');
      const gate = gateSees(text);
      expect(gate === 'refused' || gate.includes(EVIL), `${use}: the gate judged ${String(gate)}`).toBe(true);
    }
  });

  it('a stage ARG without a default takes the global default, for buildah and the gate', async () => {
    const text = `ARG X=${GOOD}\nFROM ${GOOD}\nARG X\nCOPY --from=$X /base /used\n`;
    expect(await used(text)).toBe('good');
    expect(gateSees(text)).toEqual([GOOD]);
  });

  it('a quoted from= in a RUN --mount: buildah removes the quotes and mounts the image', async () => {
    const text = `FROM ${GOOD}\nRUN --mount=type=bind,"from=${EVIL}",target=/m cat /m/base > /used\n`;
    expect(await used(text)).toBe('evil');
    expect(gateSees(text)).toBe('refused');
  });

  it('from= twice in a RUN --mount: buildah mounts the last one', async () => {
    const text = `FROM ${GOOD}\nRUN --mount=type=bind,from=${GOOD},target=/m,from=${EVIL} cat /m/base > /used\n`;
    expect(await used(text)).toBe('evil');
    const gate = gateSees(text);
    expect(gate === 'refused' || gate.includes(EVIL), `the gate judged ${String(gate)}`).toBe(true);
  });
});
