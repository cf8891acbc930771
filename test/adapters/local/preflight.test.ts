import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  assertRunsAsRoot,
  assertToolsInstalled,
  assertUserNamespaceRanges,
  missingTools,
  NotRootError,
  type RequiredTool,
  ToolsMissingError,
  UserNamespaceRangesMissingError,
} from '../../../adapters/local/preflight.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temporary directory holding the named files with the given modes (a mode of `dir` makes a directory). */
function binDir(files: Record<string, number | 'dir'>): string {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-bin-'));
  dirs.push(dir);
  for (const [name, mode] of Object.entries(files)) {
    const path = join(dir, name);
    if (mode === 'dir') {
      mkdirSync(path, { mode: 0o755 });
      continue;
    }
    writeFileSync(path, '#!/bin/sh\nexit 0\n');
    chmodSync(path, mode);
  }
  return dir;
}

// Names no system directory holds, since /usr/sbin and /sbin are always searched.
const tool = (binary: string, debianPackage = `${binary}-pkg`): RequiredTool => ({
  binary,
  debianPackage,
  usedFor: `testing ${binary}`,
});
const names = (tools: readonly RequiredTool[]) => tools.map((t) => t.binary);

describe('missingTools', () => {
  it('finds a tool in any directory of PATH', async () => {
    const first = binDir({});
    const second = binDir({ 'dd-found': 0o755 });
    expect(await missingTools([tool('dd-found')], [first, second].join(delimiter))).toEqual([]);
  });

  it('reports a tool that is on PATH only without execute permission', async () => {
    const dir = binDir({ 'dd-plain': 0o644 });
    expect(names(await missingTools([tool('dd-plain')], dir))).toEqual(['dd-plain']);
  });

  it('takes an executable later on PATH over a non-executable one earlier', async () => {
    const first = binDir({ 'dd-both': 0o644 });
    const second = binDir({ 'dd-both': 0o700 });
    expect(await missingTools([tool('dd-both')], [first, second].join(delimiter))).toEqual([]);
  });

  it('does not count a directory named like the tool', async () => {
    const dir = binDir({ 'dd-dir': 'dir' });
    expect(names(await missingTools([tool('dd-dir')], dir))).toEqual(['dd-dir']);
  });

  it('searches /usr/sbin and /sbin even when PATH lacks them', async () => {
    // Debian's runc package installs /usr/sbin/runc, which a non-root PATH lacks.
    expect(await missingTools([tool('runc')], binDir({}))).toEqual([]);
  });

  it('checks an absolute path as it is, not on PATH', async () => {
    const dir = binDir({ 'dd-abs': 0o755, 'dd-noexec': 0o644 });
    const path = binDir({ 'dd-abs': 0o755 });
    const tools = [
      tool(join(dir, 'dd-abs')),
      tool(join(dir, 'dd-noexec')),
      tool(join(dir, 'dd-absent')),
      tool(join(path, 'elsewhere', 'dd-abs')),
    ];
    expect(names(await missingTools(tools, path))).toEqual([
      join(dir, 'dd-noexec'),
      join(dir, 'dd-absent'),
      join(path, 'elsewhere', 'dd-abs'),
    ]);
  });
});

describe('ToolsMissingError', () => {
  it('names every missing tool with its package and one apt-get line for them all', async () => {
    const missing = [tool('dd-a', 'pkg-one'), tool('dd-b', 'pkg-two'), tool('dd-c', 'pkg-one')];
    const error = await assertToolsInstalled(missing, binDir({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolsMissingError);
    expect((error as ToolsMissingError).missing).toEqual(missing);
    expect((error as ToolsMissingError).code).toBe('TOOL_MISSING');
    const lines = (error as Error).message.split('\n');
    expect(lines).toEqual([
      'the local pipeline needs programs that are not installed:',
      '  dd-a (Debian package "pkg-one"), for testing dd-a',
      '  dd-b (Debian package "pkg-two"), for testing dd-b',
      '  dd-c (Debian package "pkg-one"), for testing dd-c',
      'install them with: apt-get install pkg-one pkg-two   (or run scripts/bootstrap)',
    ]);
  });

  it('is not thrown when every tool is found', async () => {
    await expect(assertToolsInstalled([tool('dd-ok')], binDir({ 'dd-ok': 0o755 }))).resolves.toBeUndefined();
  });
});

describe('assertRunsAsRoot', () => {
  it('passes root and refuses any other uid, naming it and the fix', () => {
    expect(() => assertRunsAsRoot(0)).not.toThrow();
    expect(() => assertRunsAsRoot(1000)).toThrow(NotRootError);
    expect(() => assertRunsAsRoot(1000)).toThrow(/runs as uid 1000, but the build sandbox needs root.*sudo/);
  });
});

describe('assertUserNamespaceRanges', () => {
  function subidFiles(uid: string, gid: string): [string, string] {
    const dir = mkdtempSync(join(tmpdir(), 'drydock-subid-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'subuid'), uid);
    writeFileSync(join(dir, 'subgid'), gid);
    return [join(dir, 'subuid'), join(dir, 'subgid')];
  }

  it('accepts the containers range bootstrap writes', async () => {
    const line = 'containers:2147483647:2147483648\n';
    await expect(
      assertUserNamespaceRanges(subidFiles(`alice:100000:65536\n${line}`, line)),
    ).resolves.toBeUndefined();
  });

  it('names each file without the range and the line that fixes it', async () => {
    const files = subidFiles('', 'containers:100000:1000\n');
    const error = await assertUserNamespaceRanges(files).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserNamespaceRangesMissingError);
    expect((error as UserNamespaceRangesMissingError).code).toBe('USERNS_RANGES_MISSING');
    expect((error as Error).message).toContain(`${files[0]} and ${files[1]} have no "containers" range`);
    expect((error as Error).message).toContain('containers:2147483647:2147483648');
    expect((error as Error).message).toContain('scripts/bootstrap');
  });

  it('reads a missing file as no range', async () => {
    await expect(assertUserNamespaceRanges(['/nonexistent/subuid'])).rejects.toThrow(
      '/nonexistent/subuid has no "containers" range',
    );
  });

  it('holds on this machine, as scripts/bootstrap leaves it', async () => {
    await expect(assertUserNamespaceRanges()).resolves.toBeUndefined();
  });
});
