// The scripted tour (npm run demo) as a smoke test: it runs to the end against a real drydock start, a ban included.
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
  it('tours the pipeline: a refused definition, a published image with its labels, a ban of its base with a rebuild and a band-aid, a clean stop', async () => {
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(process.execPath, [DEMO], { encoding: 'utf8', timeout: 300_000 }, (error, stdout, stderr) =>
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
    // The ban: a dry run first, then the image unsupported, rebuilt on the replacement, refused, band-aided.
    expect(output).toMatch(/^\$ drydock ban \S+\/base\/busybox:1\.36\.0 .*--dry-run$/m);
    expect(output).toMatch(
      /^ +127\.0\.0\.1:\d+\/apps\/shop\/hello:[0-9a-f]{12} +[0-9a-f]{12} +UNSUPPORTED +/m,
    );
    expect(output).toMatch(
      /^ +[0-9a-f]{12} +web-2 .* UNSUPPORTED \(ban-[0-9a-f]+: CVE-2026-0001.*stamp-containers succeeded/m,
    );
    expect(output).toMatch(
      /^ban ban-[0-9a-f]+ of 127\.0\.0\.1:\d+\/base\/busybox:1\.36\.0: 1 image unsupported, rebuilt as 127\.0\.0\.1:\d+\/apps\/shop\/hello:[0-9a-f]{12}-r1 sha256:[0-9a-f]{64}; band-aid succeeded in 2 of 2 containers; protection \d+ ms, remediation \d+ ms$/m,
    );
    expect(output).toMatch(/drydock admission: refused/);
    expect(output).toContain('(exit 126)');
  }, 330_000);
});
