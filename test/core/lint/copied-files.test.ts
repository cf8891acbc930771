import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import {
  CONTEXT_LIMITS,
  contextPath,
  contextText,
  copiedFiles,
  pickContextFiles,
} from '../../../core/lint/copied-files.js';
import { lintText } from '../../../core/lint/engine.js';

const model = (text: string) => parseDockerfile(text).model;
const dests = (text: string, files?: Record<string, string>) =>
  copiedFiles(model(text), files ? new Map(Object.entries(files)) : undefined).map((f) => [
    f.source,
    f.destination,
    f.content,
  ]);

describe('copiedFiles', () => {
  it('puts a file at an absolute destination, or into a directory destination under its own name', () => {
    expect(dests('FROM a\nCOPY sshd_config /etc/ssh/sshd_config\nCOPY ./x.repo /etc/yum.repos.d/')).toEqual([
      ['sshd_config', '/etc/ssh/sshd_config', undefined],
      ['x.repo', '/etc/yum.repos.d/x.repo', undefined],
    ]);
  });

  it('resolves a relative destination against WORKDIR, and leaves it unknown when no WORKDIR is set', () => {
    expect(dests('FROM a\nCOPY a.conf conf/\nWORKDIR /srv\nWORKDIR app\nCOPY b.conf conf/')).toEqual([
      ['a.conf', undefined, undefined],
      ['b.conf', '/srv/app/conf/b.conf', undefined],
    ]);
  });

  it('expands the stage ENV in the destination and gives the text of files the caller read', () => {
    expect(
      dests('FROM a\nENV D=/root/.aws\nCOPY creds ${D}/credentials', { creds: '[default]\nkey=1\n' }),
    ).toEqual([['creds', '/root/.aws/credentials', '[default]\nkey=1\n']]);
  });

  it('copies the contents of a directory source, and each match of a glob', () => {
    const files = { 'etc/ssh/sshd_config': 'PermitRootLogin yes', 'etc/passwd': 'x', 'conf/a.repo': 'r' };
    expect(dests('FROM a\nCOPY etc /etc\nCOPY conf/*.repo /etc/yum.repos.d/', files)).toEqual([
      ['etc/passwd', '/etc/passwd', 'x'],
      ['etc/ssh/sshd_config', '/etc/ssh/sshd_config', 'PermitRootLogin yes'],
      ['conf/a.repo', '/etc/yum.repos.d/a.repo', 'r'],
    ]);
  });

  it('takes several sources into a directory destination, in JSON form too', () => {
    expect(dests('FROM a\nCOPY ["a", "b", "/opt/"]')).toEqual([
      ['a', '/opt/a', undefined],
      ['b', '/opt/b', undefined],
    ]);
  });

  it('reads COPY heredocs as files with their body, and skips --from copies, URLs and ONBUILD', () => {
    const text =
      'FROM a AS b\nFROM a\nCOPY --from=b /x /x\nADD https://e.example/i.sh /i.sh\nONBUILD COPY k /root/k\nCOPY <<EOF /tmp/i.sh\ncurl x | sh\nEOF';
    expect(dests(text)).toEqual([['<<EOF', '/tmp/i.sh', 'curl x | sh\n']]);
  });
});

describe('pickContextFiles', () => {
  it('reads system and account configuration first, then credential-looking names, and nothing else', () => {
    const m = model('FROM a\nCOPY . /app\nCOPY cfg/sudoers /etc/sudoers.d/app\n');
    const picked = pickContextFiles(m, ['src/main.go', 'README.md', 'deploy/.npmrc', 'cfg/sudoers']);
    expect(picked).toEqual(['cfg/sudoers', 'deploy/.npmrc']);
  });

  it('stops at the file budget however many files the context copies', () => {
    const listing = Array.from({ length: 500 }, (_, i) => `etc/f${i}.conf`);
    expect(pickContextFiles(model('FROM a\nCOPY etc /etc'), listing)).toHaveLength(CONTEXT_LIMITS.maxFiles);
  });
});

describe('contextPath / contextText', () => {
  it('reads absolute and dotted sources from the context root', () => {
    expect(contextPath('/etc/../etc/./ssh/')).toBe('etc/ssh');
    expect(contextPath('./')).toBe('');
  });

  it('refuses binary, invalid UTF-8 and oversized bytes', () => {
    expect(contextText(Buffer.from('PermitRootLogin yes\n'))).toBe('PermitRootLogin yes\n');
    expect(contextText(Buffer.from([0x41, 0, 0x42]))).toBeUndefined();
    expect(contextText(Buffer.from([0xff, 0xfe, 0x41]))).toBeUndefined();
    expect(contextText(Buffer.alloc(CONTEXT_LIMITS.maxBytes + 1, 0x41))).toBeUndefined();
  });
});

describe('copiedFiles paths', () => {
  it('normalises `.`, `..` and doubled slashes in destinations', () => {
    expect(dests('FROM a\nWORKDIR /app\nCOPY e.sh ./\nCOPY f /etc//ssh/../ssh/\n')).toEqual([
      ['e.sh', '/app/e.sh', undefined],
      ['f', '/etc/ssh/f', undefined],
    ]);
  });
});

describe('copiedFiles into an existing directory without a trailing slash', () => {
  it('puts one file inside a stock directory, a WORKDIR or a directory a RUN made, as Docker does', () => {
    expect(
      dests(
        'FROM a\nCOPY x.repo /etc/yum.repos.d\nRUN mkdir -p /opt/conf\nCOPY a.conf /opt/conf\nCOPY b.conf /opt/other\n',
      ),
    ).toEqual([
      ['x.repo', '/etc/yum.repos.d/x.repo', undefined],
      ['a.conf', '/opt/conf/a.conf', undefined],
      ['b.conf', '/opt/other', undefined],
    ]);
  });

  it('lets a rule judge such a copy by its content (sshd_config copied to /etc/ssh)', () => {
    const findings = lintText('FROM debian:12\nCOPY sshd_config /etc/ssh\nUSER 1000\n', 'Dockerfile', {
      contextFiles: new Map([['sshd_config', 'PermitRootLogin yes\n']]),
    });
    expect(findings.filter((f) => f.code === 'DD116').map((f) => f.line)).toEqual([2]);
  });
});
