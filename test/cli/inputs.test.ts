import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../helpers/cli.js';

const CLEAN = 'FROM debian:12.5\nUSER 1000\nCMD ["sleep", "1"]\n';
const files = (stdout: string, dir: string) =>
  [...new Set(JSON.parse(stdout).map((f: { file: string }) => f.file.slice(dir.length + 1)))].sort();

describe('input discovery and decoding', () => {
  it('skips ignore files, docs and templates named like Dockerfiles, and follows symlinks', async () => {
    const dir = tempTree({
      Dockerfile: 'FROM debian:latest\n',
      'Dockerfile.dockerignore': 'node_modules\n.git\n',
      'Dockerfile.md': '# How to build\n',
      'docker/prod.txt': 'FROM debian:latest\n',
      'vendor/lib/Dockerfile': 'FROM debian:latest\n',
    });
    symlinkSync(join(dir, 'docker/prod.txt'), join(dir, 'Containerfile'));
    const r = await runCli(['lint', '--format', 'json', dir], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(files(r.stdout, dir)).toEqual(['Containerfile', 'Dockerfile', 'vendor/lib/Dockerfile']);
  });

  it('accepts valid UTF-8 that contains U+FFFD and refuses invalid UTF-8', async () => {
    const dir = tempTree({
      'ok.Dockerfile': 'FROM debian:12.5\nLABEL note="replacement \uFFFD here"\nUSER 1000\n',
      'bad.Dockerfile': Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xc3, 0x28, 0x0a]),
    });
    const ok = await runCli(['lint', join(dir, 'ok.Dockerfile')], { cwd: dir });
    expect(ok.stderr).toBe('');
    const bad = await runCli(['lint', join(dir, 'bad.Dockerfile')], { cwd: dir });
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('not valid UTF-8 text') });
  });

  it('reads a file with a byte-order mark', async () => {
    const dir = tempTree({ Dockerfile: `\uFEFF${CLEAN}` });
    expect((await runCli(['lint', join(dir, 'Dockerfile')], { cwd: dir })).code).toBe(0);
  });

  it('reports an empty or comment-only file as unparseable', async () => {
    const dir = tempTree({ 'a.Dockerfile': '', 'b.Dockerfile': '# only\n# comments\n' });
    const r = await runCli(['lint', '--format', 'json', dir], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).map((f: { code: string }) => f.code)).toEqual(['DD000', 'DD000']);
  });

  it('says which config file is unreadable, without a stack trace', async () => {
    const dir = tempTree({ Dockerfile: CLEAN });
    const r = await runCli(['lint', '--config', join(dir, 'nope.yaml'), join(dir, 'Dockerfile')], {
      cwd: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`drydock: ${join(dir, 'nope.yaml')}: cannot read config: no such file\n`);
  });

  it('warns about unknown rule ids in --ignore and in config', async () => {
    const dir = tempTree({ Dockerfile: CLEAN, '.drydock.yaml': 'ignored: [DD999]\n' });
    const r = await runCli(['lint', '--ignore', 'DL9999,DL3008,SC2086', join(dir, 'Dockerfile')], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('--ignore names unknown rule "DL9999"');
    expect(r.stderr).toContain('.drydock.yaml names unknown rule "DD999"');
    expect(r.stderr).not.toContain('DL3008');
    expect(r.stderr).not.toContain('SC2086');
  });

  it('refuses a binary policy file instead of parsing it as YAML', async () => {
    const dir = tempTree({ 'p.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]) });
    writeFileSync(join(dir, 'Dockerfile'), CLEAN);
    const r = await runCli(['policy', 'validate', join(dir, 'p.yaml')]);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('looks binary') });
  });
});
