import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../helpers/cli.js';

const CLEAN = 'FROM debian:12.5\nUSER 1000\nHEALTHCHECK NONE\nCMD ["sleep", "1"]\n';
const BAD = 'FROM debian:latest\nRUN curl -fsSL https://get.example.com | sh\n';

describe('drydock lint', () => {
  it('exits 0 and prints nothing for a clean file', async () => {
    const dir = tempTree({ Dockerfile: CLEAN });
    const r = await runCli(['lint', join(dir, 'Dockerfile')], { cwd: dir });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('prints file:line:col code level message and exits 1 on findings', async () => {
    const dir = tempTree({ Dockerfile: BAD });
    const r = await runCli(['lint', join(dir, 'Dockerfile')], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `${join(dir, 'Dockerfile')}:2:5 DD110 error: Remote script piped into a shell`,
    );
    expect(r.stdout).toContain(':1:1 DL3007 warning:');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('colours text output on a TTY unless --no-color or NO_COLOR', async () => {
    const dir = tempTree({ Dockerfile: BAD });
    expect((await runCli(['lint', join(dir, 'Dockerfile')], { cwd: dir, tty: true })).stdout).toContain(
      '\u001b[31m',
    );
    expect(
      (await runCli(['lint', '--no-color', join(dir, 'Dockerfile')], { cwd: dir, tty: true })).stdout,
    ).not.toContain('\u001b[');
    expect(
      (await runCli(['lint', join(dir, 'Dockerfile')], { cwd: dir, tty: true, env: { NO_COLOR: '1' } }))
        .stdout,
    ).not.toContain('\u001b[');
  });

  it('prints hadolint-compatible JSON', async () => {
    const dir = tempTree({ Dockerfile: BAD });
    const r = await runCli(['lint', '--format', 'json', join(dir, 'Dockerfile')], { cwd: dir });
    const findings = JSON.parse(r.stdout);
    expect(findings).toContainEqual({
      file: join(dir, 'Dockerfile'),
      line: 2,
      column: 5,
      code: 'DD110',
      level: 'error',
      message: expect.any(String),
    });
    for (const f of findings)
      expect(Object.keys(f).sort()).toEqual(['code', 'column', 'file', 'level', 'line', 'message']);
  });

  it('finds Dockerfiles in directories, skipping node_modules', async () => {
    const dir = tempTree({
      'a/Dockerfile': BAD,
      'b/api.Dockerfile': BAD,
      'c/Containerfile.prod': BAD,
      'node_modules/x/Dockerfile': BAD,
      'README.md': '# not a Dockerfile',
    });
    const r = await runCli(['lint', '--format', 'json', dir], { cwd: dir });
    const files = [
      ...new Set(JSON.parse(r.stdout).map((f: { file: string }) => f.file.slice(dir.length + 1))),
    ].sort();
    expect(files).toEqual(['a/Dockerfile', 'b/api.Dockerfile', 'c/Containerfile.prod']);
  });

  it('reads stdin for -', async () => {
    const r = await runCli(['lint', '--format', 'json', '-'], { stdin: BAD });
    expect(JSON.parse(r.stdout).map((f: { file: string }) => f.file)).toContain('-');
  });

  it('reports missing, binary and oversized inputs and empty directories with exit 2 and still checks the rest', async () => {
    const dir = tempTree({
      good: BAD,
      'bin.Dockerfile': Buffer.from([0x46, 0x52, 0x00, 0x01]),
      'big.Dockerfile': `FROM debian:12\n${'# padding\n'.repeat(110_000)}`,
      'empty/README': 'nothing here',
    });
    const r = await runCli(
      [
        'lint',
        '--format',
        'json',
        join(dir, 'missing'),
        join(dir, 'bin.Dockerfile'),
        join(dir, 'big.Dockerfile'),
        join(dir, 'empty'),
        join(dir, 'good'),
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing: no such file or directory');
    expect(r.stderr).toContain('bin.Dockerfile: looks binary');
    expect(r.stderr).toContain('big.Dockerfile: file is');
    expect(r.stderr).toContain('over the 1 MiB limit');
    expect(r.stderr).toContain('empty: directory holds no Dockerfile');
    expect(JSON.parse(r.stdout).some((f: { code: string }) => f.code === 'DD110')).toBe(true);
  });

  it('honours --failure-threshold, --ignore and --no-fail', async () => {
    const dir = tempTree({ Dockerfile: 'FROM debian:latest\n' });
    const f = join(dir, 'Dockerfile');
    expect((await runCli(['lint', f], { cwd: dir })).code).toBe(1);
    expect((await runCli(['lint', '-t', 'error', f], { cwd: dir })).code).toBe(0);
    expect((await runCli(['lint', '--ignore', 'DL3007', f], { cwd: dir })).stdout).not.toContain('DL3007');
    expect((await runCli(['lint', '--no-fail', f], { cwd: dir })).code).toBe(0);
  });

  it('uses .drydock.yaml over .hadolint.yaml, found from the working directory upwards', async () => {
    const dir = tempTree({
      '.hadolint.yaml': 'ignored: [DD110]\n',
      'sub/Dockerfile': BAD,
    });
    const cwd = join(dir, 'sub');
    let r = await runCli(['lint', '--format', 'json', join(cwd, 'Dockerfile')], { cwd });
    expect(JSON.parse(r.stdout).map((f: { code: string }) => f.code)).not.toContain('DD110');
    const both = tempTree({
      '.hadolint.yaml': 'ignored: [DD110]\n',
      '.drydock.yaml': 'ignored: [DL3007]\n',
      Dockerfile: BAD,
    });
    r = await runCli(['lint', '--format', 'json', join(both, 'Dockerfile')], { cwd: both });
    const codes = JSON.parse(r.stdout).map((f: { code: string }) => f.code);
    expect(codes).toContain('DD110');
    expect(codes).not.toContain('DL3007');
  });

  it('rejects an invalid config with exit 2 and a message naming the file and key', async () => {
    const dir = tempTree({ '.drydock.yaml': 'ignore: [DL3007]\n', Dockerfile: BAD });
    const r = await runCli(['lint', join(dir, 'Dockerfile')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.drydock\.yaml: invalid configuration: .*unknown key\(s\) "ignore"/);
  });

  it('rejects unknown formats and options with exit 2', async () => {
    expect((await runCli(['lint', '--format', 'xml', '-'], { stdin: CLEAN })).code).toBe(2);
    const r = await runCli(['lint', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
  });

  it('prints help with examples', async () => {
    const r = await runCli(['lint', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
  });
});

describe('drydock lint --builder', () => {
  const heredoc =
    'FROM debian:12.5\nUSER 1000\nCOPY <<EOF /etc/motd\nhello\nEOF\nHEALTHCHECK NONE\nCMD ["sleep", "1"]\n';

  it('checks against every builder by default and against the one named', async () => {
    const dir = tempTree({ Dockerfile: heredoc });
    const file = join(dir, 'Dockerfile');
    const byDefault = await runCli(['lint', file], { cwd: dir });
    expect(byDefault.code).toBe(1);
    expect(byDefault.stdout).toContain(
      ':3:1 DD004 error: heredoc `<<EOF` on line 3: the local builder (buildah 1.28) does not support heredocs',
    );
    expect((await runCli(['lint', '--builder', 'buildah-1.28', file], { cwd: dir })).code).toBe(1);
    expect(await runCli(['lint', '--builder', 'buildkit', file], { cwd: dir })).toMatchObject({
      code: 0,
      stdout: '',
    });
  });

  it('cannot ignore the difference', async () => {
    const dir = tempTree({ Dockerfile: heredoc, '.drydock.yaml': 'ignored: [DD004]\n' });
    const r = await runCli(['lint', '--ignore', 'DD004', join(dir, 'Dockerfile')], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('DD004 error');
    expect(r.stderr).toContain('an engine code that cannot be ignored or lowered');
  });
});

describe('drydock rules', () => {
  it('lists every rule as JSON with id, level and title', async () => {
    const r = await runCli(['rules', '--format', 'json']);
    const rules = JSON.parse(r.stdout);
    expect(rules).toContainEqual(
      expect.objectContaining({ id: 'DL3007', level: 'warning', title: expect.any(String) }),
    );
    expect(rules).toContainEqual(expect.objectContaining({ id: 'DD110', level: 'error' }));
  });
});
