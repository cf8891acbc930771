import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchStateDir } from '../../../runtime/local/state-dir-watch.js';
import { tempDir } from '../../helpers/temp-dir.js';

/** A state dir with a state.db, watched every 10 ms; `lost` resolves with the reason given. */
async function watched() {
  const root = tempDir('drydock-watch-');
  const dir = join(root, 'state');
  mkdirSync(dir);
  writeFileSync(join(dir, 'state.db'), 'db');
  let resolveLost: (reason: string) => void = () => undefined;
  const lost = new Promise<string>((resolve) => {
    resolveLost = resolve;
  });
  const reasons: string[] = [];
  const watch = await watchStateDir(dir, {
    files: ['state.db'],
    intervalMs: 10,
    onLost: (reason) => {
      reasons.push(reason);
      resolveLost(reason);
    },
  });
  return { root, dir, lost, reasons, watch };
}

describe('watchStateDir', () => {
  it('reports a deleted state dir once', async () => {
    const w = await watched();
    rmSync(w.dir, { recursive: true });
    expect(await w.lost).toBe(`the state dir ${w.dir} was deleted or moved`);
    mkdirSync(w.dir);
    await new Promise((r) => setTimeout(r, 50));
    expect(w.reasons).toHaveLength(1);
  });

  it('reports a state dir moved away', async () => {
    const w = await watched();
    renameSync(w.dir, join(w.root, 'elsewhere'));
    expect(await w.lost).toMatch(/was deleted or moved/);
  });

  it('reports a state dir replaced by another of the same name', async () => {
    const w = await watched();
    renameSync(w.dir, join(w.root, 'old'));
    mkdirSync(w.dir);
    writeFileSync(join(w.dir, 'state.db'), 'db');
    expect(await w.lost).toMatch(/was deleted or moved|was replaced by another directory/);
  });

  it('reports a state database deleted from the dir', async () => {
    const w = await watched();
    rmSync(join(w.dir, 'state.db'));
    expect(await w.lost).toBe(`${join(w.dir, 'state.db')} was deleted or replaced`);
  });

  it('reports nothing while the dir stays, and nothing after stop', async () => {
    const w = await watched();
    writeFileSync(join(w.dir, 'other'), 'x');
    await new Promise((r) => setTimeout(r, 50));
    w.watch.stop();
    rmSync(w.dir, { recursive: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(w.reasons).toEqual([]);
  });
});
