import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerfileBases } from '../../../core/dockerfile/dockerfile-bases.js';
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
let n = 0;

/** Builds with the real buildah; what the image's /used holds (the /base of the image buildah used), or the error. */
async function used(text: string): Promise<string> {
  const dir = await mkdtemp(join(storage.dir, 'ctx-'));
  await writeFile(join(dir, 'Dockerfile'), text);
  const tag = `localhost/uses/case:${++n}`;
  try {
    await storage.tool('buildah', [
      'bud',
      '--isolation',
      'chroot',
      '--layers=false',
      '--pull=never',
      '-q',
      '-t',
      tag,
      dir,
    ]);
  } catch (error) {
    return `error: ${String((error as { stderr?: string }).stderr ?? error)}`;
  }
  const c = (await storage.tool('buildah', ['from', '--pull-never', tag])).trim();
  try {
    return (await storage.tool('buildah', ['run', '--isolation', 'chroot', c, 'cat', '/used'])).trim();
  } finally {
    await storage.tool('buildah', ['rm', c]);
  }
}

/** The gate's reading: the images it judges, or that it refuses the file. */
function gateSees(text: string): string[] | 'refused' {
  const bases = dockerfileBases(text, 'Dockerfile');
  return bases.ok ? [...new Set(bases.bases.map((b) => b.image.text))] : 'refused';
}

beforeAll(async () => {
  storage = await createContainerStorage();
  for (const [tag, marker] of [
    [GOOD, 'good'],
    [EVIL, 'evil'],
  ] as const) {
    const dir = join(storage.dir, marker);
    await mkdir(dir);
    await copyFile('/bin/busybox', join(dir, 'busybox'));
    await writeFile(
      join(dir, 'Dockerfile'),
      `FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nRUN echo ${marker} > /base\n`,
    );
    await storage.tool('buildah', ['bud', '--isolation', 'chroot', '--layers=false', '-q', '-t', tag, dir]);
  }
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
