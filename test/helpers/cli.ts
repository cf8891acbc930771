import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import type { CliIo } from '../../cli/context.js';
import { main } from '../../cli/main.js';

/** Runs the CLI in-process and captures what it prints. */
export async function runCli(
  argv: string[],
  opts: { cwd?: string; stdin?: string; tty?: boolean; env?: NodeJS.ProcessEnv; now?: Date } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    readStdin: () => opts.stdin ?? '',
    cwd: opts.cwd ?? process.cwd(),
    isTty: opts.tty ?? false,
    env: opts.env ?? {},
    now: () => opts.now ?? new Date('2026-11-27T12:00:00Z'),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const trees: string[] = [];
// Each test file imports this module afresh: its trees are removed when that file's tests are done.
afterAll(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory holding the given files (paths relative to it), removed after the test file. */
export function tempTree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-test-'));
  trees.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const full = join(dir, name);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}
