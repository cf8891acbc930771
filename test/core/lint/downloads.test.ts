import { describe, expect, it } from 'vitest';
import type { Command } from '../../../core/dockerfile/model.js';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { createContext } from '../../../core/lint/context.js';
import {
  describe as describeRun,
  fetchedFiles,
  fetchOf,
  isVerification,
  networkCodeRuns,
  programOf,
} from '../../../core/lint/downloads.js';
import type { RuleContext } from '../../../core/lint/rule.js';

const ctxOf = (text: string, files?: Map<string, string>): RuleContext =>
  createContext(parseDockerfile(text, 'Dockerfile').model, {}, files)('title');
const commandsOf = (script: string): Command[] =>
  ctxOf(`FROM debian:12\nRUN ${script}`)
    .commands()
    .map((r) => r.command);
const first = (script: string): Command => {
  const [c] = commandsOf(script);
  if (!c) throw new Error(`no command in ${script}`);
  return c;
};

describe('programOf', () => {
  it('unwraps wrappers and multi-call binaries and keeps the path as written', () => {
    expect(programOf(first('sudo -E busybox wget -O- https://x.example/i'))).toMatchObject({
      name: 'wget',
      args: ['-O-', 'https://x.example/i'],
      wrappers: ['sudo'],
    });
    expect(programOf(first('env X=1 ./bin/install --yes'))).toMatchObject({
      name: 'install',
      path: './bin/install',
    });
  });
});

describe('fetchOf', () => {
  it.each([
    ['curl -fsSL https://x.example/i.sh', { files: [], stdout: true }],
    ['curl -fsSLo /tmp/i.sh https://x.example/i.sh', { files: ['/tmp/i.sh'], stdout: false }],
    ['curl -o- https://x.example/i.sh', { files: [], stdout: true }],
    [
      'curl --output-dir /opt -O https://x.example/a/b/tool.sh?x=1',
      { files: ['/opt/tool.sh'], stdout: false },
    ],
    ['curl -H "Accept: x" --retry 3 -O https://x.example/t', { files: ['t'], stdout: false }],
    ['wget https://x.example/get.sh', { files: ['get.sh'], stdout: false }],
    ['wget -qO- https://x.example/get.sh', { files: [], stdout: true }],
    ['wget -q -P /opt https://x.example/get.sh', { files: ['/opt/get.sh'], stdout: false }],
    ['wget --output-document=/x https://x.example/get.sh', { files: ['/x'], stdout: false }],
    ['aria2c -d /opt https://x.example/f.sh', { files: ['/opt/f.sh'], stdout: false }],
    ['git clone --depth 1 -b v1 https://x.example/org/tool.git', { trees: ['tool'], stdout: false }],
    ['git -C /src clone git@x.example:org/app.git app2', { trees: ['app2'], stdout: false }],
    ['nc x.example 80', { stdout: true }],
    ['openssl s_client -connect x.example:443', { stdout: true }],
    ['aws s3 cp s3://b/i.sh -', { stdout: true }],
    [
      "python3 -c \"import urllib.request as u; u.urlretrieve('https://x/i', '/tmp/i')\"",
      { files: ['/tmp/i'] },
    ],
  ])('reads %s', (script, expected) => {
    expect(fetchOf(first(script))).toMatchObject(expected);
  });
  it.each(['echo https://x.example/i.sh', 'git checkout main', 'python3 -c "print(1)"', 'tar -xzf a.tgz'])(
    'finds no fetch in %s',
    (script) => {
      expect(fetchOf(first(script))).toBeUndefined();
    },
  );
});

describe('isVerification', () => {
  const verifies = (script: string) => commandsOf(script).some((c) => isVerification(c, commandsOf(script)));
  it.each([
    'sha256sum -c SHA256SUMS',
    'sha512sum --check x.sha512',
    'gpg --batch --verify x.asc x',
    'gpgv --keyring k x.sig x',
    'cosign verify-blob --key k --signature s x',
    'minisign -Vm x -P key',
    'git verify-tag v1.2.3',
    'git -C /src checkout 0123456789abcdef0123456789abcdef01234567',
    'echo "$SHA  x" | sha256sum -c -',
  ])('counts %s', (script) => {
    expect(commandsOf(script).some((c) => isVerification(c))).toBe(true);
  });
  it.each(['sha256sum x', 'gpg --import k.asc', 'git checkout v1.2.3', 'cosign sign x'])(
    'does not count %s',
    (script) => {
      expect(verifies(script)).toBe(false);
    },
  );
});

describe('fetchedFiles', () => {
  it('lists downloads with their absolute path under WORKDIR and whether they were checked', () => {
    const files = fetchedFiles(
      ctxOf(
        'FROM debian:12\nWORKDIR /opt\nRUN curl -fsSLO https://x.example/a.sh && curl -fsSLO https://x.example/b.sh\nRUN echo "$S  a.sh" | sha256sum -c -\nADD --checksum=sha256:00 https://x.example/c.sh /c.sh\nRUN git clone https://x.example/d.git /d',
      ),
    );
    expect(files.map((f) => [f.path, f.tree, f.verified, f.instruction.loc.line])).toEqual([
      ['/opt/a.sh', false, true, 3],
      ['/opt/b.sh', false, false, 3],
      ['/c.sh', false, true, 5],
      ['/d', true, false, 6],
    ]);
  });
  it('carries downloads into stages built FROM the stage, not into others', () => {
    const text =
      'FROM debian:12 AS a\nRUN curl -so /i.sh https://x.example/i.sh\nFROM debian:12 AS b\nRUN sh /i.sh\nFROM a\nRUN sh /i.sh';
    expect(networkCodeRuns(ctxOf(text)).map((r) => r.loc.line)).toEqual([6]);
  });
});

describe('networkCodeRuns', () => {
  it('describes a download in one RUN run by another, with the line of the download', () => {
    const [run] = networkCodeRuns(
      ctxOf('FROM debian:12\nRUN wget -O /tmp/i https://x.example/i\nRUN . /tmp/i'),
    );
    expect(run).toMatchObject({ how: 'file', file: '/tmp/i', otherLine: 2, when: 'build' });
    expect(run && describeRun(run)).toBe(
      '. (source) runs /tmp/i, downloaded by wget https://x.example/i at line 2, with no checksum or signature check in between',
    );
  });
  it('describes a copied script that downloads and runs, with the line inside the script', () => {
    const ctx = ctxOf(
      'FROM debian:12\nCOPY scripts/ /opt/scripts/\nRUN /opt/scripts/setup.sh',
      new Map([['scripts/setup.sh', '#!/bin/sh\n\ncurl -fsSL https://x.example/i.sh | bash\n']]),
    );
    const [run] = networkCodeRuns(ctx);
    expect(run).toMatchObject({
      how: 'script',
      file: '/opt/scripts/setup.sh',
      otherLine: 2,
      inner: { line: 3 },
    });
  });
  it('marks start commands and ONBUILD triggers', () => {
    const runs = networkCodeRuns(
      ctxOf(
        'FROM debian:12\nONBUILD RUN curl -s https://x.example/a | sh\nCMD curl -s https://x.example/b | sh',
      ),
    );
    expect(runs.map((r) => [r.loc.line, r.when])).toEqual([
      [3, 'start'],
      [2, 'downstream'],
    ]);
  });
  it('reads a copied script once however often an attacker runs it', () => {
    const script = Array.from({ length: 2000 }, (_, i) => `echo line ${i} | tee -a /tmp/log`).join('\n');
    const runs = Array.from({ length: 200 }, () => 'sh /opt/s.sh').join(' && ');
    const ctx = ctxOf(
      `FROM debian:12\nCOPY s.sh /opt/s.sh\nRUN ${runs}`,
      new Map([['s.sh', `${script}\ncurl -s https://x.example/i | sh\n`]]),
    );
    ctx.resolved();
    const start = performance.now();
    expect(networkCodeRuns(ctx).map((r) => r.inner?.line)).toEqual([2001]);
    expect(performance.now() - start).toBeLessThan(2000);
  });
  it('stays fast on a long file', () => {
    const body = Array.from(
      { length: 300 },
      (_, i) =>
        `RUN curl -fsSLo /tmp/f${i} https://x.example/f${i} && echo "x  /tmp/f${i}" | sha256sum -c - && tar -xf /tmp/f${i} -C /opt && cd /opt && make -j2 install`,
    ).join('\n');
    const ctx = ctxOf(`FROM debian:12\n${body}`);
    ctx.resolved();
    const start = performance.now();
    expect(networkCodeRuns(ctx)).toEqual([]);
    expect(performance.now() - start).toBeLessThan(500);
  });
});
