import { open } from 'node:fs/promises';
import { runTool } from '../../adapters/local/run-tool.js';
import { DrydockError, quoteInput } from '../../core/errors.js';

/** Largest rootfs upload (`drydock bases import`) the daemon stores, as sent (compressed or not). */
export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** Largest sum of entry sizes an uploaded rootfs tarball may unpack to (a small compressed file can be huge). */
export const DEFAULT_MAX_UNPACKED_BYTES = 8 * 1024 ** 3;

/** The bytes of an upload as they arrive (an HTTP request is one). */
export type UploadBody = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** An upload over the size limit; the HTTP API answers it with 413. */
export class BaseUploadTooLargeError extends DrydockError {
  override readonly name = 'BaseUploadTooLargeError';

  constructor(what: string, limit: number) {
    super(`${what} is over the limit of ${limit} bytes`, { code: 'BASE_UPLOAD_TOO_LARGE' });
  }
}

/** An uploaded rootfs the daemon will not import (not a tarball, an entry outside its root, a device). */
export class BaseUploadRefusedError extends DrydockError {
  override readonly name = 'BaseUploadRefusedError';

  constructor(problem: string, options: { cause?: unknown } = {}) {
    super(`the uploaded rootfs is refused: ${problem}`, { code: 'BASE_UPLOAD_REFUSED', ...options });
  }
}

/**
 * Writes an upload to a new file (mode 0600, never an existing one) and returns its size; throws
 * `BaseUploadTooLargeError` as soon as it passes `maxBytes`. An upload the client breaks off is an error.
 */
export async function receiveUpload(upload: UploadBody, path: string, maxBytes: number): Promise<number> {
  const file = await open(path, 'wx', 0o600);
  let size = 0;
  try {
    for await (const chunk of upload) {
      size += chunk.length;
      if (size > maxBytes) throw new BaseUploadTooLargeError('the upload', maxBytes);
      await file.write(chunk);
    }
  } finally {
    await file.close();
  }
  return size;
}

/** One entry of a tarball as GNU tar lists it verbosely. */
export interface TarEntry {
  /** tar's type letter: `-` file, `d` directory, `l` symlink, `h` hard link, `c`/`b` device, `p` FIFO… */
  readonly type: string;
  /** The member name as stored (tar lists it with `--absolute-names`, so nothing is stripped). */
  readonly name: string;
  /** A symlink's or hard link's target. */
  readonly target?: string;
  /** Bytes of a regular file; 0 for the rest. */
  readonly size: number;
}

// `-rw-r--r-- 0/0   1 2026-12-07 15:43:36 name`: type, mode, uid/gid, size (major,minor for devices), date, time.
// tar pads the time to the widest one it has listed (`15:43:36` after `15:43:36.123456789`), so spaces before the
// name are padding; a name that really starts with spaces loses them, which only makes the checks stricter.
const LISTING = /^(.)\S* \d+\/\d+ +(\S+) \S+ \S+ +(.*)$/;

/** Parses a line of `tar --list --verbose --numeric-owner --full-time`; undefined when it has another shape. */
export function parseTarListing(line: string): TarEntry | undefined {
  const m = LISTING.exec(line);
  if (!m) return undefined;
  const [, type = '', sizeField = '', rest = ''] = m;
  const size = /^\d+$/.test(sizeField) ? Number(sizeField) : 0;
  const separator = type === 'l' ? ' -> ' : type === 'h' ? ' link to ' : undefined;
  if (separator === undefined) return { type, name: rest, size };
  const at = rest.indexOf(separator);
  if (at < 0) return undefined;
  // A second separator would make the split a guess; the name the builder sees must be the one checked.
  if (rest.indexOf(separator, at + 1) >= 0) return { type: '?', name: rest, size };
  return { type, name: rest.slice(0, at), target: rest.slice(at + separator.length), size };
}

const ALLOWED_TYPES = new Set(['-', 'd', 'l', 'h']);
const TYPE_NAMES: Readonly<Record<string, string>> = {
  c: 'a character device',
  b: 'a block device',
  p: 'a FIFO',
  s: 'a socket',
  '?': 'an entry whose name cannot be told apart from its link target',
};

function pathProblem(path: string, what: string): string | undefined {
  if (path === '') return `${what} is empty`;
  if (path.startsWith('/')) return `${what} ${quoteInput(path)} is absolute`;
  if (path.split('/').includes('..')) return `${what} ${quoteInput(path)} leads outside the rootfs`;
  return undefined;
}

/**
 * Says why a tarball entry may not be part of an imported rootfs, or undefined: absolute names, `..`
 * components and hard links out of the archive are refused (they would write outside the rootfs), and so
 * is anything but files, directories and links (a device node in an image can open the host's devices).
 */
export function entryProblem(entry: TarEntry): string | undefined {
  if (!ALLOWED_TYPES.has(entry.type)) {
    return `${quoteInput(entry.name)} is ${TYPE_NAMES[entry.type] ?? `an entry of type ${quoteInput(entry.type)}`}`;
  }
  // A symlink may point anywhere: it is resolved inside the image's root, where the builder unpacks it.
  return (
    pathProblem(entry.name, 'the entry') ??
    (entry.type === 'h' ? pathProblem(entry.target ?? '', 'the hard link target') : undefined)
  );
}

/** What `checkRootfsTarball` found. */
export interface RootfsListing {
  readonly entries: number;
  readonly unpackedBytes: number;
}

/**
 * Lists a rootfs tarball with GNU tar (which recognises its compression by content) and checks every entry
 * with `entryProblem` and the total size; throws `BaseUploadRefusedError` or `BaseUploadTooLargeError`.
 */
export async function checkRootfsTarball(
  path: string,
  options: { maxUnpackedBytes: number; timeoutMs?: number; tar?: string },
): Promise<RootfsListing> {
  const abort = new AbortController();
  let problem: string | undefined;
  let tooLarge = false;
  let entries = 0;
  let unpackedBytes = 0;
  const run = await runTool({
    command: options.tar ?? 'tar',
    args: [
      '--list',
      '--verbose',
      '--numeric-owner',
      '--full-time',
      '--quoting-style=escape',
      // List names as stored: without it tar strips `/` and `../` from what it shows, hiding them.
      '--absolute-names',
      '--file',
      path,
    ],
    env: { LC_ALL: 'C', TZ: 'UTC' },
    timeoutMs: options.timeoutMs ?? 600_000,
    signal: abort.signal,
    debianPackage: 'tar',
    maxOutputBytes: 64 * 1024,
    onLine: (line, stream) => {
      if (stream !== 'stdout' || line === '' || problem !== undefined || tooLarge) return;
      const entry = parseTarListing(line);
      problem =
        entry === undefined
          ? `tar listed an entry drydock cannot read: ${quoteInput(line)}`
          : entryProblem(entry);
      entries++;
      unpackedBytes += entry?.size ?? 0;
      if (unpackedBytes > options.maxUnpackedBytes) tooLarge = true;
      if (problem !== undefined || tooLarge) abort.abort();
    },
  });
  if (problem !== undefined) throw new BaseUploadRefusedError(problem);
  if (tooLarge) throw new BaseUploadTooLargeError('the unpacked rootfs', options.maxUnpackedBytes);
  if (run.timedOut) throw new BaseUploadRefusedError('tar did not finish listing it in time');
  if (run.exitCode !== 0) {
    const reason = run.stderr
      .trim()
      .split('\n')
      .find((l) => l !== '' && !/Exiting with failure|Error is not recoverable/.test(l));
    throw new BaseUploadRefusedError(
      `not a tarball tar can read (.tar, .tar.gz, .tar.xz, .tar.zst): ${reason ?? `tar exited with ${run.exitCode}`}`,
    );
  }
  if (entries === 0) throw new BaseUploadRefusedError('the tarball holds no files');
  return { entries, unpackedBytes };
}
