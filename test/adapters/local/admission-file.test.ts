import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ADMISSION_FORMAT,
  AdmissionFile,
  AdmissionListError,
  admissionPaths,
  readAdmissionFile,
} from '../../../adapters/local/admission-file.js';
import { tempDir } from '../../helpers/temp-dir.js';

const IMAGE = {
  digest: `sha256:${'a'.repeat(64)}`,
  configDigest: `sha256:${'b'.repeat(64)}`,
  ref: '127.0.0.1:5000/apps/web:1',
  banIds: ['ban-1'],
  reason: 'CVE-2026-1',
};
const BANNED = [{ pattern: 'docker.io/library/busybox:1.36.0', reason: 'CVE-2026-1', banId: 'ban-1' }];

function admissionFile(stateDir: string) {
  return new AdmissionFile({
    stateDir,
    bannedPatterns: async () => BANNED,
    now: () => new Date('2026-12-07T12:00:00Z'),
  });
}

describe('AdmissionFile', () => {
  it('writes the unsupported images and banned patterns with format, generation and time, readable by root only', async () => {
    const state = tempDir('drydock-admission-');
    await admissionFile(state).replace([IMAGE]);
    const { list, dir } = admissionPaths(state);
    expect(statSync(list).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readAdmissionFile(state)).toEqual({
      format: ADMISSION_FORMAT,
      generation: 1,
      writtenAt: '2026-12-07T12:00:00.000Z',
      unsupported: [IMAGE],
      // Each pattern with its matcher compiled for the hook: anchored expressions over the normalised name and tag.
      banned: [
        {
          ...BANNED[0],
          match: {
            text: 'docker.io/library/busybox:1.36.0',
            name: String.raw`^docker\.io\/library\/busybox$`,
            tag: String.raw`^1\.36\.0$`,
          },
        },
      ],
    });
  });

  it('replaces the list whole, counting generations', async () => {
    const state = tempDir('drydock-admission-');
    await admissionFile(state).replace([IMAGE]);
    await admissionFile(state).replace([]);
    expect(readAdmissionFile(state)).toMatchObject({ generation: 2, unsupported: [] });
  });

  it('replaces a symlink planted at the list path, leaving its target alone', async () => {
    const state = tempDir('drydock-admission-');
    await admissionFile(state).replace([]);
    const target = `${tempDir('drydock-target-')}/victim`;
    writeFileSync(target, 'keep');
    const { list } = admissionPaths(state);
    rmSync(list);
    symlinkSync(target, list);
    expect(() => readAdmissionFile(state)).toThrow(/is a symlink/);
    await admissionFile(state).replace([IMAGE]);
    expect(readFileSync(target, 'utf8')).toBe('keep');
    expect(readAdmissionFile(state).unsupported).toEqual([IMAGE]);
  });

  it('refuses a missing, corrupt, foreign-owned or group-writable list with what is wrong and where', async () => {
    const state = tempDir('drydock-admission-');
    const { list } = admissionPaths(state);
    expect(() => readAdmissionFile(state)).toThrow(new RegExp(`cannot read ${list}: it does not exist`));
    await admissionFile(state).replace([IMAGE]);
    writeFileSync(
      list,
      '{"format":"drydock-admission/2","generation":1,"writtenAt":"x","unsupported":[{"configDigest":"sha256:zz"}],"banned":[]}',
    );
    expect(() => readAdmissionFile(state)).toThrow(
      /corrupt: unsupported\[0\]\.configDigest is not a sha256 digest/,
    );
    writeFileSync(list, '{"format":');
    expect(() => readAdmissionFile(state)).toThrow(AdmissionListError);
    await admissionFile(state).replace([IMAGE]);
    chmodSync(list, 0o620);
    expect(() => readAdmissionFile(state)).toThrow(/writable by group or others/);
    chmodSync(list, 0o600);
    chownSync(list, 65534, 65534);
    expect(() => readAdmissionFile(state)).toThrow(/owned by uid 65534, not root/);
  });

  it('refuses a FIFO planted at the list path at once, instead of hanging the hook on it', async () => {
    const state = tempDir('drydock-admission-');
    await admissionFile(state).replace([]);
    const { list } = admissionPaths(state);
    rmSync(list);
    execFileSync('mkfifo', ['-m', '600', list]);
    expect(() => readAdmissionFile(state)).toThrow(/not a regular file/);
  });
});
