// The scripted tour (npm run demo) as a smoke test: it runs to the end against a real drydock start.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeState } from '../helpers/drydock-process.js';

const DEMO = join(import.meta.dirname, '..', '..', 'scripts', 'demo.mjs');
let stateDir: string | undefined;

afterAll(async () => {
  // The demo keeps its state dir for exploring; the test removes it, container storage included.
  if (stateDir) await removeState(dirname(stateDir));
});

describe('npm run demo', () => {
  it('tours the pipeline: a refused definition, a published image with its labels, a clean stop', async () => {
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(process.execPath, [DEMO], { encoding: 'utf8', timeout: 150_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    stateDir = /^state dir: (.+)$/m.exec(output)?.[1];
    expect(output).not.toContain('demo FAILED');
    expect(code).toBe(0);
    expect(output).toMatch(/remote: drydock: refs\/heads\/main [0-9a-f]{12}: queued for the gate/);
    expect(output).toMatch(/^bad\/Dockerfile: FAILED, no build: .*DD110 line 2/m);
    expect(output).toMatch(
      /published image: 127\.0\.0\.1:\d+\/apps\/shop\/hello:[0-9a-f]{12} sha256:[0-9a-f]{64}/,
    );
    expect(output).toContain('"org.opencontainers.image.base.name"');
    expect(output).toContain(`drydock start --state ${stateDir}`);
  }, 180_000);
});
