import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ClientRequest } from 'node:http';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Command, Option } from 'commander';
import { rootfsTarArgs } from '../../adapters/local/rootfs-tar.js';
import { DrydockError } from '../../core/errors.js';
import type { BaseSummary } from '../../runtime/local/api-types.js';
import { type BodyWriter, PipelineApi, type StreamLine } from '../api-client.js';
import { type CliIo, EXIT } from '../context.js';
import { stateDir } from '../state-dir.js';

interface CommonFlags {
  readonly state?: string;
  readonly format: 'text' | 'json';
}

const stateOption = () =>
  new Option(
    '-s, --state <dir>',
    'state directory of the running pipeline (default: $DRYDOCK_STATE or ./.drydock)',
  );
const formatOption = () =>
  new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text');
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Prints the bases: `ref digest` columns, or JSON items carrying `ref`, `digest`, `repository` and `tag`. */
function printBases(bases: readonly BaseSummary[], format: 'text' | 'json', io: CliIo): void {
  if (format === 'json') {
    io.stdout(`${JSON.stringify(bases, null, 2)}\n`);
    return;
  }
  const width = Math.max(0, ...bases.map((b) => b.ref.length));
  for (const b of bases) io.stdout(`${b.ref.padEnd(width)}  ${b.digest}\n`);
}

/** A rootfs source this process cannot send (missing, unreadable, neither a directory nor a file). */
export class BaseSourceUnreadableError extends DrydockError {
  override readonly name = 'BaseSourceUnreadableError';

  constructor(path: string, problem: string, options: { cause?: unknown } = {}) {
    super(`cannot import ${path}: ${problem}`, { code: 'BASE_SOURCE_UNREADABLE', ...options });
  }
}

/** Sends a tarball as it is; the pipeline recognises its compression. */
function sendFile(path: string): BodyWriter {
  return (req: ClientRequest) => pipeline(createReadStream(path), req);
}

/**
 * Sends a directory as a tar stream made by the system's tar, run as this user: the pipeline gets what this
 * user can read, with owners as ids, modes, symlinks and xattrs. The request ends only once tar succeeded,
 * so a directory tar could not read whole is never imported in part.
 */
function sendDirectory(path: string): BodyWriter {
  return (req) =>
    new Promise((done, fail) => {
      const tar = spawn('tar', rootfsTarArgs('-', path), {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LC_ALL: 'C' },
      });
      let stderr = '';
      tar.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
      });
      tar.stdout.pipe(req, { end: false });
      tar.once('error', (error: NodeJS.ErrnoException) =>
        fail(
          new BaseSourceUnreadableError(
            path,
            error.code === 'ENOENT' ? 'tar is not installed (Debian package tar)' : error.message,
            { cause: error },
          ),
        ),
      );
      tar.once('close', (code) => {
        if (code === 0) {
          req.end();
          done();
          return;
        }
        const reason = stderr
          .trim()
          .split('\n')
          .find((l) => l !== '' && !/Exiting with failure|Error is not recoverable/.test(l));
        fail(
          new BaseSourceUnreadableError(
            path,
            `tar could not pack it: ${reason ?? `tar exited with ${code}`}`,
          ),
        );
      });
    });
}

/** How `bases import` sends a source: a directory packed by tar, a file as it is; checked as this user. */
async function uploadOf(source: string): Promise<{ contentType: string; write: BodyWriter }> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BaseSourceUnreadableError(
      source,
      code === 'ENOENT'
        ? 'no such file or directory'
        : code === 'EACCES'
          ? 'permission denied'
          : String(error),
      { cause: error },
    );
  }
  if (info.isDirectory()) return { contentType: 'application/x-tar', write: sendDirectory(source) };
  if (!info.isFile())
    throw new BaseSourceUnreadableError(
      source,
      'not a directory or a tarball (.tar, .tar.gz, .tar.xz, .tar.zst)',
    );
  // Opened now, as this user, so that an unreadable file is said before anything is sent.
  try {
    const probe = createReadStream(source);
    await new Promise<void>((ok, fail) => {
      probe.once('open', () => ok());
      probe.once('error', fail);
    });
    probe.destroy();
  } catch (error) {
    throw new BaseSourceUnreadableError(source, 'permission denied', { cause: error });
  }
  return { contentType: 'application/x-tar', write: sendFile(source) };
}

/** Streams a long operation: progress lines to stderr as they arrive, the bases of the result to stdout. */
async function streamBases(
  path: string,
  payload: unknown | ((api: PipelineApi) => Promise<unknown>),
  flags: CommonFlags,
  io: CliIo,
): Promise<number> {
  const api = await PipelineApi.connect(stateDir(flags.state, io.env, io.cwd));
  const body = typeof payload === 'function' ? await payload(api) : payload;
  const onLine = (line: StreamLine) => {
    if (line.type === 'progress') io.stderr(`${line.message}\n`);
  };
  const result = await api.stream(path, body, onLine);
  const bases = (result.bases ?? []) as BaseSummary[];
  printBases(bases, flags.format, io);
  return EXIT.ok;
}

/** Runs an action; a drydock failure (no pipeline running, a refused request) is printed and exits 2. */
function guarded(io: CliIo, setExit: (code: number) => void, action: () => Promise<number>): Promise<void> {
  return action().then(setExit, (error: unknown) => {
    if (!(error instanceof DrydockError)) throw error;
    io.stderr(`drydock: ${error.message}\n`);
    setExit(EXIT.usage);
  });
}

export function registerBases(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const bases = program
    .command('bases')
    .description('Base images in the local registry: seed the catalogue, import a rootfs, list them');

  bases
    .command('seed')
    .description(
      'Build the base catalogue (busybox-static versions; with --debian also a Debian minbase) and publish it; ' +
        'versions already in the registry are kept',
    )
    // Not --version: the program's own -V/--version would answer it before this command sees it.
    .option(
      '--busybox-version <version>',
      'a busybox base version (tag) to seed; repeatable (default: 1.36.0 and 1.36.1)',
      collect,
    )
    .option(
      '--debian',
      'also bootstrap a Debian bookworm minbase with debootstrap (needs root, about a minute)',
    )
    .option(
      '--debian-mirror <url>',
      'the Debian mirror debootstrap downloads from (default: http://deb.debian.org/debian)',
    )
    .addOption(stateOption())
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
Progress goes to stderr, the seeded bases ("ref  digest") to stdout.

Examples:
  drydock bases seed
  drydock bases seed --debian --state /srv/drydock
  drydock bases seed --busybox-version 1.36.1 --format json`,
    )
    .action((flags: CommonFlags & { busyboxVersion?: string[]; debian?: boolean; debianMirror?: string }) =>
      guarded(io, setExit, () =>
        streamBases(
          '/api/bases/seed',
          {
            ...(flags.busyboxVersion ? { versions: flags.busyboxVersion } : {}),
            ...(flags.debian ? { debian: true } : {}),
            ...(flags.debianMirror ? { debianMirror: flags.debianMirror } : {}),
          },
          flags,
          io,
        ),
      ),
    );

  bases
    .command('import')
    .description('Import a rootfs directory or tarball (.tar, .tar.gz, .tar.xz, .tar.zst) as base/NAME:TAG')
    .argument('<source>', 'a rootfs directory or a tarball of one, on this machine')
    .requiredOption(
      '--name <name>',
      'base name; the repository is base/NAME (lower-case letters, digits, ".", "_", "-", "/")',
    )
    .requiredOption('--tag <tag>', 'tag of the base; a tag that exists already is refused')
    .addOption(stateOption())
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
The source is read by this command, with your rights, and sent to the pipeline (a directory packed by tar): the
pipeline never opens a path you name. A directory keeps its owners, modes and symlinks. The pipeline refuses
entries outside the rootfs (absolute names, ".."), device nodes, FIFOs and sockets, and uploads over 2 GiB.
The image is FROM scratch with the rootfs as its one layer.

Examples:
  drydock bases import ./rootfs --name alpine --tag 3.20
  drydock bases import /srv/images/ubuntu-noble.tar.zst --name ubuntu --tag 24.04 --format json`,
    )
    .action((source: string, flags: CommonFlags & { name: string; tag: string }) =>
      guarded(io, setExit, () =>
        streamBases(
          `/api/bases/import?${new URLSearchParams({ name: flags.name, tag: flags.tag })}`,
          async () => {
            const path = resolve(io.cwd, source);
            const upload = await uploadOf(path);
            io.stderr(`sending ${path} to the pipeline\n`);
            return upload;
          },
          flags,
          io,
        ),
      ),
    );

  bases
    .command('ls')
    .description(
      'List the base images in the local registry (every repository under base/) with their digests',
    )
    .addOption(stateOption())
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
Examples:
  drydock bases ls
  drydock bases ls --format json | jq -r '.[] | "\\(.ref)@\\(.digest)"'`,
    )
    .action((flags: CommonFlags) =>
      guarded(io, setExit, async () => {
        const state = stateDir(flags.state, io.env, io.cwd);
        const api = await PipelineApi.connect(state);
        const { bases: found } = await api.get<{ bases: BaseSummary[] }>('/api/bases');
        if (found.length === 0 && flags.format === 'text') {
          io.stderr(
            `no base images in ${api.info.registry} yet; seed them with:\n  drydock bases seed --state ${state}\n`,
          );
        }
        printBases(found, flags.format, io);
        return EXIT.ok;
      }),
    );
}
