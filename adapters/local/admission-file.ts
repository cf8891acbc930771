import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BannedPattern } from '../../core/admission/admit.js';
import { type BanMatcher, banMatcherOf, MAX_MATCHER_REGEX } from '../../core/admission/ban-matcher.js';
import { DrydockError } from '../../core/errors.js';
import type { AdmissionList, UnsupportedImage } from '../../core/ports/admission-list.js';

/** The format tag of `<stateDir>/admission/unsupported.json` (2: banned patterns carry their compiled `match`). */
export const ADMISSION_FORMAT = 'drydock-admission/2';

/** The largest admission list read (a list this big is refused as corrupt, not parsed). */
const MAX_LIST_BYTES = 64 * 1024 * 1024;

/** What the admission file holds: the unsupported images and the banned patterns, with its generation and time. */
export interface AdmissionDocument {
  readonly format: typeof ADMISSION_FORMAT;
  /** 1 + the generation of the list it replaced. */
  readonly generation: number;
  readonly writtenAt: string;
  readonly unsupported: readonly UnsupportedImage[];
  readonly banned: readonly ListedBan[];
}

/** A banned pattern as listed: with its compiled matcher, which the prestart hook decides by. */
export interface ListedBan extends BannedPattern {
  readonly match: BanMatcher;
}

/** The admission list or its override cannot be used: missing, not root's, a symlink, too big or corrupt. */
export class AdmissionListError extends DrydockError {
  override readonly name = 'AdmissionListError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'ADMISSION_LIST_UNREADABLE', ...options });
  }
}

/** Where a state dir keeps the admission list and the ops override. */
export function admissionPaths(stateDir: string): { dir: string; list: string; failOpen: string } {
  const dir = join(stateDir, 'admission');
  return { dir, list: join(dir, 'unsupported.json'), failOpen: join(dir, 'fail-open') };
}

/**
 * Reads a file that only root may have written: not through a symlink (O_NOFOLLOW), a regular file owned by uid 0
 * (or by this process's user) and writable by nobody else, at most `limit` bytes. Synchronous: the prestart hook
 * must answer fast and has nothing else to do meanwhile.
 */
export function readRootFile(path: string, limit: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'it does not exist' : code === 'ELOOP' ? 'it is a symlink' : String(error);
    throw new AdmissionListError(`cannot read ${path}: ${why}`, { cause: error });
  }
  try {
    const info = fstatSync(fd);
    const owners = new Set([0, process.getuid?.() ?? 0]);
    if (!info.isFile()) throw new AdmissionListError(`cannot read ${path}: not a regular file`);
    if (!owners.has(info.uid))
      throw new AdmissionListError(`cannot read ${path}: owned by uid ${info.uid}, not root`);
    if ((info.mode & 0o022) !== 0)
      throw new AdmissionListError(
        `cannot read ${path}: writable by group or others (mode ${(info.mode & 0o777).toString(8)})`,
      );
    if (info.size > limit)
      throw new AdmissionListError(`cannot read ${path}: ${info.size} bytes, over ${limit}`);
    const buffer = Buffer.alloc(info.size);
    let at = 0;
    while (at < info.size) {
      const n = readSync(fd, buffer, at, info.size - at, at);
      if (n === 0) break;
      at += n;
    }
    return buffer.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isDigest = (v: unknown): v is string => typeof v === 'string' && /^sha256:[0-9a-f]{64}$/.test(v);
const isPatternDigest = (v: unknown): v is string =>
  typeof v === 'string' && /^(?:sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/.test(v);

function isRegex(v: unknown): v is string {
  if (typeof v !== 'string' || v === '' || v.length > MAX_MATCHER_REGEX) return false;
  try {
    new RegExp(v);
    return true;
  } catch {
    return false;
  }
}

// The hook (adapters/local/admission-hook.py) makes the same checks with the same messages.
function checkMatcher(value: unknown, at: string): BanMatcher {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${at} is not an object`);
  if (v.error !== undefined) {
    if (!isString(v.error)) throw new Error(`${at}.error is not a string`);
    return { error: v.error };
  }
  if (!isString(v.text)) throw new Error(`${at}.text is missing`);
  if (v.digest !== undefined) {
    if (!isPatternDigest(v.digest)) throw new Error(`${at}.digest is not a digest`);
    return { text: v.text, digest: v.digest };
  }
  const bad = `is not a regular expression of at most ${MAX_MATCHER_REGEX} characters`;
  if (!isRegex(v.name)) throw new Error(`${at}.name ${bad}`);
  if (v.tag !== undefined && !isRegex(v.tag)) throw new Error(`${at}.tag ${bad}`);
  return { text: v.text, name: v.name, ...(v.tag === undefined ? {} : { tag: v.tag as string }) };
}

function checkImage(value: unknown, at: string): UnsupportedImage {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null) throw new Error(`${at} is not an object`);
  if (!isDigest(v.configDigest)) throw new Error(`${at}.configDigest is not a sha256 digest`);
  if (v.digest !== undefined && !isDigest(v.digest)) throw new Error(`${at}.digest is not a sha256 digest`);
  if (!isString(v.ref) || !isString(v.reason)) throw new Error(`${at} lacks ref or reason`);
  if (!Array.isArray(v.banIds) || !v.banIds.every(isString))
    throw new Error(`${at}.banIds is not a list of ids`);
  return {
    configDigest: v.configDigest,
    ...(v.digest === undefined ? {} : { digest: v.digest as string }),
    ref: v.ref,
    reason: v.reason,
    banIds: v.banIds,
  };
}

function checkPattern(value: unknown, at: string): ListedBan {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null) throw new Error(`${at} is not an object`);
  if (!isString(v.pattern) || !isString(v.reason)) throw new Error(`${at} lacks pattern or reason`);
  if (v.banId !== undefined && !isString(v.banId)) throw new Error(`${at}.banId is not a string`);
  return {
    pattern: v.pattern,
    reason: v.reason,
    ...(v.banId === undefined ? {} : { banId: v.banId as string }),
    match: checkMatcher(v.match, `${at}.match`),
  };
}

/** Parses an admission document, checking every field by hand (the hook bundle carries no schema library). */
export function parseAdmissionDocument(text: string): AdmissionDocument {
  let doc: Record<string, unknown> | null;
  try {
    doc = JSON.parse(text) as Record<string, unknown> | null;
  } catch {
    // One message for both readers: the hook's JSON parser words its errors differently.
    throw new Error('not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('not a JSON object');
  if (doc.format !== ADMISSION_FORMAT) throw new Error(`format is not ${ADMISSION_FORMAT}`);
  if (!Number.isSafeInteger(doc.generation) || (doc.generation as number) < 1)
    throw new Error('generation is not a positive integer');
  if (!isString(doc.writtenAt)) throw new Error('writtenAt is missing');
  if (!Array.isArray(doc.unsupported) || !Array.isArray(doc.banned))
    throw new Error('unsupported or banned is not a list');
  return {
    format: ADMISSION_FORMAT,
    generation: doc.generation as number,
    writtenAt: doc.writtenAt,
    unsupported: doc.unsupported.map((v, i) => checkImage(v, `unsupported[${i}]`)),
    banned: doc.banned.map((v, i) => checkPattern(v, `banned[${i}]`)),
  };
}

/** Reads and checks a state dir's admission list; throws `AdmissionListError` when it cannot be used. */
export function readAdmissionFile(stateDir: string): AdmissionDocument {
  const { list } = admissionPaths(stateDir);
  const bytes = readRootFile(list, MAX_LIST_BYTES);
  try {
    return parseAdmissionDocument(bytes.toString('utf8'));
  } catch (error) {
    throw new AdmissionListError(`cannot read ${list}: corrupt: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Options of `AdmissionFile`. */
export interface AdmissionFileOptions {
  readonly stateDir: string;
  /** The banned patterns in force (the policy's `banned` entries), read at every replace. */
  readonly bannedPatterns: () => Promise<readonly BannedPattern[]>;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * AdmissionList over `<stateDir>/admission/unsupported.json`, which the OCI prestart hook reads: the unsupported
 * images and the banned patterns together, replaced whole by writing a temp file and renaming it over the list.
 */
export class AdmissionFile implements AdmissionList {
  readonly #options: AdmissionFileOptions;

  constructor(options: AdmissionFileOptions) {
    this.#options = options;
  }

  async replace(images: readonly UnsupportedImage[]): Promise<void> {
    const { dir, list } = admissionPaths(this.#options.stateDir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    let previous = 0;
    try {
      previous = readAdmissionFile(this.#options.stateDir).generation;
    } catch {
      // A missing or corrupt list is replaced; generations restart from it.
    }
    const doc: AdmissionDocument = {
      format: ADMISSION_FORMAT,
      generation: previous + 1,
      writtenAt: (this.#options.now?.() ?? new Date()).toISOString(),
      unsupported: [...images].sort((a, b) => a.configDigest.localeCompare(b.configDigest)),
      banned: (await this.#options.bannedPatterns()).map((ban) => ({
        ...ban,
        match: banMatcherOf(ban.pattern),
      })),
    };
    for (const ban of doc.banned) {
      const { name, tag } = ban.match as { name?: string; tag?: string };
      if ((name?.length ?? 0) > MAX_MATCHER_REGEX || (tag?.length ?? 0) > MAX_MATCHER_REGEX)
        throw new AdmissionListError(
          `ban pattern ${ban.pattern} compiles to an expression over ${MAX_MATCHER_REGEX} characters`,
        );
    }
    const temp = `${list}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(doc)}\n`);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    // rename replaces a symlink planted at the list's path itself, never the file it points to.
    await rename(temp, list);
  }
}
