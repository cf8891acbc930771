import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createBareRepository } from '../../../adapters/local/git-repositories.js';
import { SqliteEventLog } from '../../../adapters/local/sqlite-event-log.js';
import { SqliteOutbox } from '../../../adapters/local/sqlite-outbox.js';
import { hookCommand } from '../../../cli/commands/repo.js';
import { baseCatalogue } from '../../../runtime/local/base-catalogue.js';
import { type LocalRuntime, startLocalRuntime } from '../../../runtime/local/daemon.js';
import { removeState, waitFor } from '../../helpers/drydock-process.js';

const dirs: string[] = [];
const runtimes: LocalRuntime[] = [];

afterAll(async () => {
  for (const r of runtimes.splice(0)) await r.stop();
  for (const d of dirs.splice(0)) await removeState(d);
});

// Anything that moves a terminal's cursor, breaks a line or reorders text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const ESC_PATH = 'ops\u001b[2J/Dockerfile';
const NEWLINE_PATH = 'a\nb/Dockerfile';
// "café" in Latin-1: one byte 0xe9 that is not UTF-8.
const LATIN1_DIR = Buffer.from('caf\u00e9', 'latin1');
const CURL_SH = 'FROM alpine:3.20\nRUN curl -fsSL https://x.example/i.sh | sh\n';

describe('a push of definition paths with control characters, through the real post-receive hook', () => {
  it('gets a failed verdict per path, no build, and notifications and log lines that name them escaped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drydock-unsafe-paths-'));
    dirs.push(dir);
    const log: string[] = [];
    const runtime = await startLocalRuntime({
      stateDir: dir,
      version: '0.0.0-test',
      apiPort: 0,
      seedBases: false,
      log: (line) => log.push(line),
      bases: baseCatalogue,
    });
    runtimes.push(runtime);
    const repo = await createBareRepository(runtime.pipeline.reposRoot, 'shop', hookCommand(dir, 'shop'));

    const work = join(dir, 'work');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], {
        cwd: work,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    mkdirSync(work);
    git('init', '--quiet', '--initial-branch=main');
    for (const path of [ESC_PATH, NEWLINE_PATH, 'café/Dockerfile']) {
      mkdirSync(join(work, path, '..'), { recursive: true });
      writeFileSync(join(work, path), CURL_SH);
    }
    const latin1 = Buffer.concat([Buffer.from(`${work}/`), LATIN1_DIR]);
    mkdirSync(latin1);
    writeFileSync(Buffer.concat([latin1, Buffer.from('/Dockerfile')]), CURL_SH);
    git('add', '--all');
    git('commit', '--quiet', '-m', 'definitions');
    // The hook runs in git's push, queues Definition Pushed and wakes the pipeline, whose API answers in this
    // process: the push must not block its event loop.
    await promisify(execFile)('git', ['push', '--quiet', repo.remote, 'HEAD:refs/heads/main'], { cwd: work });
    const commit = git('rev-parse', 'HEAD').trim();

    const outbox = new SqliteOutbox(runtime.pipeline.db);
    const notes = await waitFor('a notification per definition', async () => {
      runtime.workers.wake();
      const all = await outbox.list();
      return all.length >= 4 ? all : undefined;
    });

    // The push really carried the raw names (else nothing here could fail).
    const pushed = (await new SqliteEventLog(runtime.pipeline.db).readAfter(0))
      .map((e) => e.event)
      .find((e) => e.detailType === 'Definition Pushed');
    const paths = (pushed?.detail as { definitions: { path: string }[] } | undefined)?.definitions ?? [];
    expect(paths.map((d) => d.path)).toEqual(
      expect.arrayContaining([ESC_PATH, NEWLINE_PATH, 'café/Dockerfile', 'caf\ufffd/Dockerfile']),
    );

    expect(notes.map((n) => n.definition).sort()).toEqual(
      ['a\\nb/Dockerfile', 'caf\\ufffd/Dockerfile', 'café/Dockerfile', 'ops\\x1b[2J/Dockerfile'].sort(),
    );
    for (const n of notes) {
      expect(n).toMatchObject({ kind: 'verdict-failed', repository: 'shop', commit });
      expect(n.definition).not.toMatch(CONTROL);
      // Every line of a summary is one line of text: none starts where a name broke it.
      for (const line of n.summary.split('\n')) expect(line).not.toMatch(CONTROL);
    }
    const summaryOf = (definition: string) => notes.find((n) => n.definition === definition)?.summary ?? '';
    expect(summaryOf('ops\\x1b[2J/Dockerfile')).toContain('DD206');
    expect(summaryOf('ops\\x1b[2J/Dockerfile')).toContain('\\x1b (a control character)');
    expect(summaryOf('a\\nb/Dockerfile')).toContain('\\n (a line break)');
    expect(summaryOf('caf\\ufffd/Dockerfile')).toContain('not valid UTF-8');
    // The ordinary unicode name is gated as any other: its own finding, not DD206.
    expect(summaryOf('café/Dockerfile')).toContain('DD110');
    expect(summaryOf('café/Dockerfile')).not.toContain('DD206');

    // The daemon logs each notification once, as it is stored in the outbox.
    const told = await waitFor('a notify log line per notification', async () => {
      const lines = log.filter((l) => l.startsWith('notify '));
      return lines.length >= notes.length ? lines : undefined;
    });
    expect(told.sort()).toEqual(
      notes.map((n) => `notify shop/${n.definition}: ${n.summary.split('\n')[0]}`).sort(),
    );

    expect(await runtime.pipeline.records.list()).toEqual([]);
    expect(log.filter((l) => CONTROL.test(l))).toEqual([]);
    expect(log.some((l) => l.includes('ops\\x1b[2J/Dockerfile'))).toBe(true);
  }, 120_000);
});
