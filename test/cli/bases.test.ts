import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBases } from '../../cli/commands/bases.js';
import type { CliIo } from '../../cli/context.js';
import { type ApiTokens, ensureApiTokens } from '../../runtime/local/api-tokens.js';
import {
  BaseExistsError,
  BaseRequestInvalidError,
  type BasesDeps,
  localBaseCatalogue,
  parseImportBaseRequest,
  parseSeedBasesRequest,
  pushTo,
} from '../../runtime/local/bases.js';
import { BaseUploadRefusedError } from '../../runtime/local/rootfs-upload.js';
import { writeRuntimeInfo } from '../../runtime/local/runtime-info.js';
import { type LocalRegistry, startLocalRegistry } from '../helpers/local-registry.js';

let local: LocalRegistry;
let server: Server;
let dir: string;
let state: string;
let tokens: ApiTokens;
const authorisations: string[] = [];

/**
 * The base routes of the HTTP API (runtime/local/api-types.ts) over the real service and registry, behind the
 * ops token as the daemon's are; the import's body is the rootfs tarball.
 */
function serveBases(deps: BasesDeps): Server {
  const catalogue = localBaseCatalogue(deps);
  const body = async (req: IncomingMessage): Promise<unknown> => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text === '' ? {} : JSON.parse(text);
  };
  return createServer(async (req, res) => {
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    try {
      authorisations.push(req.headers.authorization ?? '');
      if (req.headers.authorization !== `Bearer ${tokens.ops}`) {
        json(401, { error: 'this API needs a bearer token' });
        return;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'GET' && req.url === '/api/bases') {
        json(200, { bases: await catalogue.list() });
        return;
      }
      let run: ((progress: (m: string) => void) => Promise<unknown>) | undefined;
      // Bad input is refused with 400 before the stream starts.
      if (req.method === 'POST' && req.url === '/api/bases/seed') {
        const request = parseSeedBasesRequest(await body(req));
        run = (progress) => catalogue.seed(request, progress);
      } else if (req.method === 'POST' && url.pathname === '/api/bases/import') {
        const request = parseImportBaseRequest(Object.fromEntries(url.searchParams));
        const received = await catalogue.receive(request, req);
        run = (progress) => catalogue.import(received, progress);
      } else {
        json(404, { error: `no route ${req.method} ${req.url}` });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const line = (value: unknown) => res.write(`${JSON.stringify(value)}\n`);
      try {
        const bases = await run((message) => line({ type: 'progress', message }));
        line({ type: 'result', bases });
      } catch (error) {
        line({ type: 'error', message: (error as Error).message });
      }
      res.end();
    } catch (error) {
      const status =
        error instanceof BaseRequestInvalidError || error instanceof BaseUploadRefusedError
          ? 400
          : error instanceof BaseExistsError
            ? 409
            : 500;
      json(status, { error: (error as Error).message });
    }
  });
}

/** Runs `drydock <argv>` with only the bases command registered, the way cli/main.ts runs commands. */
async function drydock(
  argv: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
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
    readStdin: () => '',
    cwd: opts.cwd ?? dir,
    isTty: false,
    env: opts.env ?? {},
    now: () => new Date('2026-11-27T12:00:00Z'),
  };
  let code = 0;
  const program = new Command('drydock')
    .version('0.0.0-test')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerBases(program, io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? 0 : 2;
  }
  return { code, stdout, stderr };
}

beforeAll(async () => {
  local = await startLocalRegistry('drydock-cli-bases-');
  dir = mkdtempSync(join(tmpdir(), 'drydock-cli-bases-'));
  state = join(dir, 'state');
  mkdirSync(state);
  tokens = (await ensureApiTokens(state)).tokens;
  server = serveBases({
    builder: local.builder,
    registry: local.registry,
    push: pushTo(local.registry),
    registryHost: local.host,
    workDir: local.containerEnv.env.TMPDIR!,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await writeRuntimeInfo({
    version: 'test',
    pid: process.pid,
    startedAt: new Date().toISOString(),
    stateDir: state,
    api: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    registry: local.host,
    repos: join(state, 'repos'),
    policy: join(state, 'policy.yaml'),
  });
  const rootfs = join(dir, 'work', 'rootfs');
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  symlinkSync('busybox', join(rootfs, 'bin', 'sh'));
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await local?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// One registry through the file: the cases build on each other, in order.
describe('drydock bases against a running pipeline', () => {
  it('ls says how to seed when there are no bases, and gives [] as JSON', async () => {
    const text = await drydock(['bases', 'ls', '--state', state]);
    expect(text).toEqual({
      code: 0,
      stdout: '',
      stderr: `no base images in ${local.host} yet; seed them with:\n  drydock bases seed --state ${state}\n`,
    });
    const json = await drydock(['bases', 'ls', '--format', 'json'], { env: { DRYDOCK_STATE: state } });
    expect(json).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('seed streams progress to stderr and prints the seeded bases as JSON', async () => {
    const seeded = await drydock([
      'bases',
      'seed',
      '--busybox-version',
      '1.36.0',
      '--state',
      state,
      '--format',
      'json',
    ]);
    expect(seeded.code).toBe(0);
    const [base] = JSON.parse(seeded.stdout) as { ref: string; digest: string }[];
    expect(base).toEqual({
      ref: `${local.host}/base/busybox:1.36.0`,
      digest: (await local.registry.inspect('base/busybox:1.36.0'))!.digest,
      repository: 'base/busybox',
      tag: '1.36.0',
    });
    const progress = seeded.stderr.split('\n');
    expect(progress[0]).toBe('building base/busybox 1.36.0 from busybox-static');
    expect(progress).toContain(`seeded ${base!.ref}@${base!.digest}`);

    // Seeding again keeps the published base: same digest, nothing built.
    const again = await drydock(['bases', 'seed', '--busybox-version', '1.36.0', '--state', state]);
    expect(again).toEqual({
      code: 0,
      stdout: `${base!.ref}  ${base!.digest}\n`,
      stderr: `${base!.ref} is already seeded (${base!.digest})\n`,
    });
  });

  it('import takes a directory relative to the working directory; ls then lists every base, sorted', async () => {
    const imported = await drydock(
      ['bases', 'import', 'rootfs', '--name', 'tiny', '--tag', '1', '--state', state],
      {
        cwd: join(dir, 'work'),
      },
    );
    expect(imported.code).toBe(0);
    // The command reads the directory and sends it; the pipeline is never told a path.
    expect(imported.stderr).toMatch(
      new RegExp(
        `^sending ${join(dir, 'work', 'rootfs')} to the pipeline\\nimporting the uploaded rootfs \\(\\d+\\.\\d MiB, 4 entries\\) as ${local.host}/base/tiny:1\\n`,
      ),
    );
    expect(authorisations.at(-1)).toBe(`Bearer ${tokens.ops}`);
    const digest = (await local.registry.inspect('base/tiny:1'))!.digest;
    expect(imported.stdout).toBe(`${local.host}/base/tiny:1  ${digest}\n`);
    expect(await local.runIn(`${local.host}/base/tiny:1`, 'echo ran')).toBe('ran\n');

    const listed = await drydock(['bases', 'ls', '--state', state, '--format', 'json']);
    expect(JSON.parse(listed.stdout).map((b: { ref: string; digest: string }) => [b.ref, b.digest])).toEqual([
      [`${local.host}/base/busybox:1.36.0`, (await local.registry.inspect('base/busybox:1.36.0'))!.digest],
      [`${local.host}/base/tiny:1`, digest],
    ]);
    const text = await drydock(['bases', 'ls', '--state', state]);
    // Columns: the refs padded to the longest (`busybox:1.36.0` is 8 longer than `tiny:1`), two spaces, the digest.
    expect(text.stdout.split('\n')[1]).toBe(`${local.host}/base/tiny:1${' '.repeat(10)}${digest}`);
  });

  it('import refuses a tag that exists, a missing source and an invalid name, exiting 2', async () => {
    const again = await drydock([
      'bases',
      'import',
      join(dir, 'work', 'rootfs'),
      '--name',
      'tiny',
      '--tag',
      '1',
      '--state',
      state,
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      new RegExp(
        `^sending ${join(dir, 'work', 'rootfs')} to the pipeline\\ndrydock: ${local.host}/base/tiny:1 already exists \\(sha256:[0-9a-f]{64}\\); bases do not change`,
      ),
    );
    const missing = await drydock([
      'bases',
      'import',
      'nope.tar',
      '--name',
      'tiny',
      '--tag',
      '2',
      '--state',
      state,
    ]);
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: `drydock: cannot import ${join(dir, 'nope.tar')}: no such file or directory\n`,
    });
    const invalid = await drydock([
      'bases',
      'import',
      join(dir, 'work', 'rootfs'),
      '--name',
      'Tiny',
      '--tag',
      '1',
      '--state',
      state,
    ]);
    expect(invalid).toEqual({
      code: 2,
      stdout: '',
      stderr: `sending ${join(dir, 'work', 'rootfs')} to the pipeline\ndrydock: invalid import request: name: invalid name: "Tiny" is not a valid repository component: lower-case letters and digits, joined by ".", "_", "__" or "-"\n`,
    });
  });
});

describe('drydock bases import of what the pipeline refuses', () => {
  it('imports a compressed tarball as it is, and refuses one whose entries leave the rootfs', async () => {
    const work = join(dir, 'work');
    execFileSync('tar', [
      '--create',
      '--gzip',
      '--file',
      join(work, 'rootfs.tar.gz'),
      '--directory',
      join(work, 'rootfs'),
      '.',
    ]);
    const tarball = await drydock(
      ['bases', 'import', 'rootfs.tar.gz', '--name', 'tiny', '--tag', '2', '--state', state],
      {
        cwd: work,
      },
    );
    expect(tarball.code).toBe(0);
    expect(tarball.stdout).toBe(
      `${local.host}/base/tiny:2  ${(await local.registry.inspect('base/tiny:2'))!.digest}\n`,
    );

    // GNU tar keeps `..` in a name only when told to (-P); an attacker's tarball has it anyway.
    execFileSync('tar', [
      '--create',
      '--absolute-names',
      '--file',
      join(work, 'evil.tar'),
      join(work, 'rootfs', '..', 'rootfs', 'bin', 'busybox'),
    ]);
    const evil = await drydock(
      ['bases', 'import', 'evil.tar', '--name', 'evil', '--tag', '1', '--state', state],
      {
        cwd: work,
      },
    );
    expect(evil.code).toBe(2);
    expect(evil.stderr).toContain(
      `drydock: the uploaded rootfs is refused: the entry "${join(work, 'rootfs', '..', 'rootfs', 'bin', 'busybox')}" is absolute\n`,
    );
    expect(await local.registry.inspect('base/evil:1')).toBeUndefined();
  }, 120_000);

  it('refuses a directory holding a FIFO, and leaves nothing of the upload behind', async () => {
    const odd = join(dir, 'odd');
    mkdirSync(join(odd, 'bin'), { recursive: true });
    copyFileSync('/bin/busybox', join(odd, 'bin', 'busybox'));
    execFileSync('mkfifo', [join(odd, 'pipe')]);
    const refused = await drydock(['bases', 'import', odd, '--name', 'odd', '--tag', '1', '--state', state]);
    expect(refused).toEqual({
      code: 2,
      stdout: '',
      stderr: `sending ${odd} to the pipeline\ndrydock: the uploaded rootfs is refused: "./pipe" is a FIFO\n`,
    });
    expect(
      readdirSync(local.containerEnv.env.TMPDIR!).filter((n) => n.startsWith('drydock-upload-')),
    ).toEqual([]);
  });

  it('says the token is not valid when the pipeline refuses it', async () => {
    const other = join(dir, 'other-state');
    mkdirSync(other);
    await ensureApiTokens(other);
    await writeRuntimeInfo({
      version: 'test',
      pid: process.pid,
      startedAt: new Date().toISOString(),
      stateDir: other,
      api: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      registry: local.host,
      repos: join(other, 'repos'),
      policy: join(other, 'policy.yaml'),
    });
    const refused = await drydock([
      'bases',
      'import',
      join(dir, 'work', 'rootfs'),
      '--name',
      'x',
      '--tag',
      '1',
      '--state',
      other,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('drydock: this API needs a bearer token\n');
    expect(await local.registry.inspect('base/x:1')).toBeUndefined();
  });
});

describe('drydock bases without a running pipeline', () => {
  it.each([
    [['bases', 'ls']],
    [['bases', 'seed']],
    [['bases', 'import', 'rootfs', '--name', 'x', '--tag', '1']],
  ])('%j says how to start it and exits 2', async (argv) => {
    const stopped = join(dir, 'stopped');
    const result = await drydock([...argv, '--state', stopped]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `drydock: the local pipeline is not running for ${stopped} (no runtime.json); start it with:\n  drydock start --state ${stopped}\n`,
    });
  });
});

describe('drydock bases usage', () => {
  it('shows examples in --help', async () => {
    for (const sub of ['seed', 'import', 'ls']) {
      const help = await drydock(['bases', sub, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Examples:\n  drydock bases ${sub}`);
    }
  });

  it('refuses an unknown format and a missing --tag with exit 2', async () => {
    const format = await drydock(['bases', 'ls', '--format', 'yaml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain(
      "option '-f, --format <format>' argument 'yaml' is invalid. Allowed choices are text, json.",
    );
    const tag = await drydock(['bases', 'import', 'rootfs', '--name', 'x']);
    expect(tag.code).toBe(2);
    expect(tag.stderr).toContain("required option '--tag <tag>' not specified");
  });
});
