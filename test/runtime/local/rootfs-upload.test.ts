import { describe, expect, it } from 'vitest';
import { entryProblem, parseTarListing } from '../../../runtime/local/rootfs-upload.js';

// Lines as `tar --list --verbose --numeric-owner --full-time --quoting-style=escape --absolute-names` prints them.
describe('parseTarListing', () => {
  it.each([
    ['-rw-r--r-- 0/0               3 2026-12-07 15:43:36 ./bin/a', { type: '-', name: './bin/a', size: 3 }],
    ['drwxr-xr-x 0/0               0 2026-12-07 15:43:36 ./', { type: 'd', name: './', size: 0 }],
    [
      'lrwxrwxrwx 0/0               0 2026-12-07 15:43:36 ./ub -> /usr/bin',
      { type: 'l', name: './ub', target: '/usr/bin', size: 0 },
    ],
    [
      'hrw-r--r-- 0/0               0 1970-01-01 00:00:00 hl link to ../../etc/shadow',
      { type: 'h', name: 'hl', target: '../../etc/shadow', size: 0 },
    ],
    [
      'crw-r--r-- 0/0             1,3 2026-12-07 15:43:36 ./dev/null',
      { type: 'c', name: './dev/null', size: 0 },
    ],
    [
      '-rw-r--r-- 0/0               0 2026-12-07 15:43:36 ./we ird -> x',
      { type: '-', name: './we ird -> x', size: 0 },
    ],
    // Which " -> " splits name from target cannot be told: such an entry is refused, never guessed.
    [
      'lrwxrwxrwx 0/0               0 2026-12-07 15:43:36 a -> b/../../x -> y',
      { type: '?', name: 'a -> b/../../x -> y', size: 0 },
    ],
  ])('reads %j', (line, entry) => {
    expect(parseTarListing(line)).toEqual(entry);
  });

  // tar pads the time to the widest one listed so far: after `…:36.123456789`, a whole second is followed by
  // spaces. They are padding, not part of the name, and must not hide an absolute name.
  it.each([
    [
      'prw-r--r-- 0/0               0 2026-12-07 15:43:36           ./pipe',
      { type: 'p', name: './pipe', size: 0 },
    ],
    [
      '-rw-r--r-- 0/0               3 2026-12-07 15:43:36.1         /etc/x',
      { type: '-', name: '/etc/x', size: 3 },
    ],
  ])('reads a line whose time tar padded: %s', (line, entry) => {
    expect(parseTarListing(line)).toEqual(entry);
    expect(entryProblem(parseTarListing(line)!)).toBeDefined();
  });

  it('gives undefined for a line of another shape', () => {
    expect(parseTarListing("tar: Removing leading `/' from member names")).toBeUndefined();
  });
});

describe('entryProblem', () => {
  it.each([
    [{ type: '-', name: './bin/busybox', size: 1 }, undefined],
    [{ type: 'l', name: './bin', target: '/usr/bin', size: 0 }, undefined],
    [{ type: 'l', name: './lib', target: '../../../etc', size: 0 }, undefined],
    [{ type: 'h', name: './bin/sh', target: './bin/busybox', size: 0 }, undefined],
    [{ type: '-', name: '../x', size: 1 }, 'the entry "../x" leads outside the rootfs'],
    [{ type: '-', name: 'a/../../x', size: 1 }, 'the entry "a/../../x" leads outside the rootfs'],
    [{ type: 'd', name: '/etc/', size: 0 }, 'the entry "/etc/" is absolute'],
    [
      { type: 'h', name: 'x', target: '/etc/shadow', size: 0 },
      'the hard link target "/etc/shadow" is absolute',
    ],
    [{ type: 'b', name: './dev/sda', size: 0 }, '"./dev/sda" is a block device'],
    [{ type: 'p', name: './fifo', size: 0 }, '"./fifo" is a FIFO'],
    [{ type: 'V', name: 'label', size: 0 }, '"label" is an entry of type "V"'],
  ])('judges %j: %s', (entry, problem) => {
    expect(entryProblem(entry)).toBe(problem);
  });
});
