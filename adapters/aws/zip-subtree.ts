import { DrydockError } from '../../core/errors.js';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const ZIP64 = 0xffffffff;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;

/** An archive drydock cannot read or repack (zip64, encrypted, truncated). */
export class ZipArchiveError extends DrydockError {
  override readonly name = 'ZipArchiveError';

  constructor(message: string) {
    super(`zip archive: ${message}`, { code: 'ZIP_INVALID' });
  }
}

interface CentralEntry {
  readonly name: string;
  readonly versionMade: number;
  readonly versionNeeded: number;
  readonly flags: number;
  readonly method: number;
  readonly time: number;
  readonly date: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly internalAttrs: number;
  readonly externalAttrs: number;
  readonly localOffset: number;
}

function findEnd(zip: Buffer): number {
  // The end record is 22 bytes plus a comment of up to 65535 (GitHub puts the commit id there).
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= stop; i--) {
    if (zip.readUInt32LE(i) === END && i + 22 + zip.readUInt16LE(i + 20) === zip.length) return i;
  }
  throw new ZipArchiveError('no end of central directory record');
}

/** The entries of a zip archive, from its central directory. */
export function zipEntries(zip: Buffer): CentralEntry[] {
  if (zip.length < 22) throw new ZipArchiveError('too short');
  const end = findEnd(zip);
  const count = zip.readUInt16LE(end + 10);
  const offset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || offset === ZIP64) throw new ZipArchiveError('zip64 archives are not supported');
  const entries: CentralEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL)
      throw new ZipArchiveError('truncated central directory');
    const flags = zip.readUInt16LE(p + 8);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const nameBytes = zip.subarray(p + 46, p + 46 + nameLength);
    const entry: CentralEntry = {
      name: nameBytes.toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1'),
      versionMade: zip.readUInt16LE(p + 4),
      versionNeeded: zip.readUInt16LE(p + 6),
      flags,
      method: zip.readUInt16LE(p + 10),
      time: zip.readUInt16LE(p + 12),
      date: zip.readUInt16LE(p + 14),
      crc: zip.readUInt32LE(p + 16),
      compressedSize: zip.readUInt32LE(p + 20),
      size: zip.readUInt32LE(p + 24),
      internalAttrs: zip.readUInt16LE(p + 36),
      externalAttrs: zip.readUInt32LE(p + 38),
      localOffset: zip.readUInt32LE(p + 42),
    };
    if (entry.compressedSize === ZIP64 || entry.size === ZIP64 || entry.localOffset === ZIP64) {
      throw new ZipArchiveError(`${entry.name}: zip64 entries are not supported`);
    }
    if (flags & FLAG_ENCRYPTED)
      throw new ZipArchiveError(`${entry.name}: encrypted entries are not supported`);
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

// A name that unzip would put outside the directory it extracts into.
const unsafe = (name: string) =>
  name.startsWith('/') || name.includes('\\') || name.split('/').some((s) => s === '..' || s === '.');

/**
 * A new zip holding the entries of `zip` under `dir` (a directory of the archived tree, `''` for all of it),
 * renamed relative to `dir`. Forge archives (GitHub zipball, GitLab archive.zip) wrap the tree in one top-level
 * directory, which is looked through first. Entries are copied compressed as they are; nothing is inflated.
 */
export function zipSubtree(zip: Buffer, dir: string): Buffer {
  const entries = zipEntries(zip);
  const first = entries[0]?.name.split('/')[0];
  const wrapped = first !== undefined && entries.every((e) => e.name.startsWith(`${first}/`));
  const root = wrapped ? `${first}/` : '';
  const prefix = dir === '' ? root : `${root}${dir.replace(/\/+$/, '')}/`;

  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (!entry.name.startsWith(prefix)) continue;
    const name = entry.name.slice(prefix.length);
    if (name === '' || unsafe(name)) continue;
    const at = entry.localOffset;
    if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL)
      throw new ZipArchiveError(`${entry.name}: bad local header`);
    const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
    if (start + entry.compressedSize > zip.length) throw new ZipArchiveError(`${entry.name}: truncated data`);
    const data = zip.subarray(start, start + entry.compressedSize);
    const nameBytes = Buffer.from(name, 'utf8');
    // Sizes and CRC go into the header itself, so the data descriptor is dropped.
    const flags = (entry.flags & ~FLAG_DATA_DESCRIPTOR) | FLAG_UTF8;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(entry.versionNeeded, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt16LE(entry.time, 10);
    local.writeUInt16LE(entry.date, 12);
    local.writeUInt32LE(entry.crc, 14);
    local.writeUInt32LE(entry.compressedSize, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(entry.versionMade, 4);
    central.writeUInt16LE(entry.versionNeeded, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(entry.method, 10);
    central.writeUInt16LE(entry.time, 12);
    central.writeUInt16LE(entry.date, 14);
    central.writeUInt32LE(entry.crc, 16);
    central.writeUInt32LE(entry.compressedSize, 20);
    central.writeUInt32LE(entry.size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt16LE(entry.internalAttrs, 36);
    central.writeUInt32LE(entry.externalAttrs, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const count = centrals.length / 2;
  if (count > 0xfffe) throw new ZipArchiveError(`${dir || 'the tree'} holds more than 65534 entries`);
  if (offset >= ZIP64) throw new ZipArchiveError(`${dir || 'the tree'} is larger than 4 GiB`);
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
