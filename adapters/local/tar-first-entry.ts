import { DrydockError } from '../../core/errors.js';

const BLOCK = 512;

/** The kind of a tar entry, from its type flag. */
export type TarEntryType =
  | 'file'
  | 'directory'
  | 'symlink'
  | 'hardlink'
  | 'char'
  | 'block'
  | 'fifo'
  | 'other';

/** One entry's header: what `stat` would say of the archived path, and where a link points. */
export interface TarEntry {
  readonly name: string;
  readonly type: TarEntryType;
  /** Permission bits with setuid, setgid and sticky (`0o7777` at most); the file type is in `type`. */
  readonly permissions: number;
  readonly uid: number;
  readonly gid: number;
  /** Bytes of the entry's body (0 for anything but a regular file). */
  readonly size: number;
  /** The target of a symbolic or hard link; empty otherwise. */
  readonly linkName: string;
}

/** The first entry of an archive, with the body of a regular file when asked for and not over the limit. */
export interface TarFirstEntry {
  readonly entry: TarEntry;
  /** Set when the body was wanted, the entry is a regular file and its size is within `maxBodyBytes`. */
  readonly body?: Buffer;
}

/** Bytes that are not the tar archive they should be. */
export class TarFormatError extends DrydockError {
  override readonly name = 'TarFormatError';

  constructor(problem: string) {
    super(`not a readable tar archive: ${problem}`, { code: 'TAR_INVALID' });
  }
}

const TYPES: Readonly<Record<string, TarEntryType>> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'directory',
  '6': 'fifo',
  // GNU's dump directory is a directory with a listing as its body.
  D: 'directory',
};

/** `st_mode` file type bits of each entry type (`other` has none). */
export const MODE_TYPE_BITS: Readonly<Record<TarEntryType, number>> = {
  file: 0o100000,
  directory: 0o040000,
  symlink: 0o120000,
  hardlink: 0o100000,
  char: 0o020000,
  block: 0o060000,
  fifo: 0o010000,
  other: 0,
};

/** Options of `TarFirstEntryReader`. */
export interface TarFirstEntryOptions {
  /** Keep the body of a regular file. @default false */
  readonly body?: boolean;
  /** A regular file bigger than this is answered without its body. @default 4 MiB */
  readonly maxBodyBytes?: number;
}

interface Pending {
  path?: string;
  linkpath?: string;
  size?: number;
  uid?: number;
  gid?: number;
}

/**
 * Reads the first entry of a tar stream as its chunks arrive (ustar, GNU and PAX headers; GNU long names and
 * base-256 numbers), so the caller can stop the stream as soon as `push` answers: after the header for a
 * directory or when no body is wanted, after the body otherwise.
 */
export class TarFirstEntryReader {
  readonly #wantBody: boolean;
  readonly #maxBodyBytes: number;
  #buffer: Buffer = Buffer.alloc(0);
  #pending: Pending = {};
  #entry: TarEntry | undefined;
  #answer: TarFirstEntry | undefined;
  #sawZeroBlock = false;

  constructor(options: TarFirstEntryOptions = {}) {
    this.#wantBody = options.body ?? false;
    this.#maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  }

  /** Takes the next bytes; returns the answer once it is known (and on every later call). Throws `TarFormatError`. */
  push(chunk: Uint8Array): TarFirstEntry | undefined {
    if (this.#answer) return this.#answer;
    this.#buffer = this.#buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#buffer, chunk]);
    this.#answer = this.#advance();
    return this.#answer;
  }

  /**
   * The answer at the end of the stream: the first entry, or undefined for an archive without entries.
   * Throws `TarFormatError` when the stream stopped inside a header or a body.
   */
  end(): TarFirstEntry | undefined {
    if (this.#answer) return this.#answer;
    if (this.#entry) throw new TarFormatError(`the body of ${this.#entry.name} is cut short`);
    if (this.#buffer.length === 0 || this.#sawZeroBlock) {
      if (Object.keys(this.#pending).length > 0) throw new TarFormatError('an extended header has no entry');
      return undefined;
    }
    throw new TarFormatError(`the archive ends inside a ${BLOCK}-byte header (${this.#buffer.length} bytes)`);
  }

  #advance(): TarFirstEntry | undefined {
    for (;;) {
      if (this.#entry) return this.#bodyAnswer(this.#entry);
      if (this.#buffer.length < BLOCK) return undefined;
      const header = this.#buffer.subarray(0, BLOCK);
      if (header.every((b) => b === 0)) {
        // End-of-archive marker; what follows it is padding.
        this.#sawZeroBlock = true;
        this.#buffer = this.#buffer.subarray(BLOCK);
        continue;
      }
      if (this.#sawZeroBlock) throw new TarFormatError('a header follows the end-of-archive marker');
      checkChecksum(header);
      const flag = String.fromCharCode(header[156] ?? 0);
      const size = numeric(header, 124, 12, 'size');
      if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
        // Metadata for the next entry: read its whole body first. A global header ('g') is skipped.
        if (size > 1024 * 1024) throw new TarFormatError(`an extended header of ${size} bytes`);
        const padded = BLOCK + Math.ceil(size / BLOCK) * BLOCK;
        if (this.#buffer.length < padded) return undefined;
        const body = this.#buffer.subarray(BLOCK, BLOCK + size);
        if (flag === 'x') Object.assign(this.#pending, parsePax(body));
        if (flag === 'L') this.#pending.path ??= cString(body);
        if (flag === 'K') this.#pending.linkpath ??= cString(body);
        this.#buffer = this.#buffer.subarray(padded);
        continue;
      }
      // A PAX size overrides the header's for the entry it precedes (files of 8 GiB and more).
      this.#entry = this.#entryOf(header, flag, this.#pending.size ?? size);
      this.#buffer = this.#buffer.subarray(BLOCK);
    }
  }

  #entryOf(header: Buffer, flag: string, size: number): TarEntry {
    const type = TYPES[flag] ?? 'other';
    const magic = header.subarray(257, 263).toString('latin1');
    const prefix = magic.startsWith('ustar') ? cString(header.subarray(345, 500)) : '';
    const shortName = cString(header.subarray(0, 100));
    return {
      name: this.#pending.path ?? (prefix ? `${prefix}/${shortName}` : shortName),
      type,
      permissions: numeric(header, 100, 8, 'mode') & 0o7777,
      uid: this.#pending.uid ?? numeric(header, 108, 8, 'uid'),
      gid: this.#pending.gid ?? numeric(header, 116, 8, 'gid'),
      size: type === 'file' ? size : 0,
      linkName: this.#pending.linkpath ?? cString(header.subarray(157, 257)),
    };
  }

  #bodyAnswer(entry: TarEntry): TarFirstEntry | undefined {
    if (!this.#wantBody || entry.type !== 'file' || entry.size > this.#maxBodyBytes) return { entry };
    if (this.#buffer.length < entry.size) return undefined;
    return { entry, body: Buffer.from(this.#buffer.subarray(0, entry.size)) };
  }
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('utf8');
}

// Octal text (NUL- or space-terminated), or GNU's base-256 when the first byte has its high bit set.
function numeric(header: Buffer, offset: number, length: number, field: string): number {
  const bytes = header.subarray(offset, offset + length);
  if (((bytes[0] ?? 0) & 0x80) !== 0) {
    if (((bytes[0] ?? 0) & 0x40) !== 0) throw new TarFormatError(`a negative ${field}`);
    let value = (bytes[0] ?? 0) & 0x3f;
    for (const b of bytes.subarray(1)) value = value * 256 + b;
    if (!Number.isSafeInteger(value)) throw new TarFormatError(`a ${field} too large to read`);
    return value;
  }
  const text = bytes
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`${field} ${JSON.stringify(text)} is not octal`);
  return Number.parseInt(text, 8);
}

function checkChecksum(header: Buffer): void {
  const stored = numeric(header, 148, 8, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    // The checksum field itself counts as eight spaces.
    const b = i >= 148 && i < 156 ? 0x20 : (header[i] as number);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  if (stored !== unsigned && stored !== signed) {
    throw new TarFormatError(`header checksum ${stored} does not match ${unsigned}`);
  }
}

// PAX records: "<length> <key>=<value>\n", the length counting the whole record in bytes.
function parsePax(body: Buffer): Pending {
  const out: Pending = {};
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number.parseInt(body.subarray(at, space).toString('latin1'), 10);
    if (!Number.isInteger(length) || length <= space - at || at + length > body.length) {
      throw new TarFormatError('a malformed extended header record');
    }
    const record = body.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq <= 0) throw new TarFormatError('an extended header record without a key');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') out.path = value;
    else if (key === 'linkpath') out.linkpath = value;
    else if (key === 'size' || key === 'uid' || key === 'gid') {
      if (!/^\d+$/.test(value)) throw new TarFormatError(`extended header ${key}=${value} is not a number`);
      out[key] = Number(value);
    }
    at += length;
  }
  return out;
}
