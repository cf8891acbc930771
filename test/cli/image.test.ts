import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBusyboxBaseContext } from '../../adapters/local/busybox-base-seeder.js';
import { shellQuote } from '../../cli/commands/image.js';
import { runCli, tempTree } from '../helpers/cli.js';
import { type LocalRegistry, startLocalRegistry } from '../helpers/local-registry.js';
import { tempDir } from '../helpers/temp-dir.js';

// podman stands in for Docker: `image test` and `image bases` use only commands both have.
let local: LocalRegistry;
let env: NodeJS.ProcessEnv;
let BASE: string;
let baseDigest: string;
const APP = 'localhost/apps/cli:1';

beforeAll(async () => {
  local = await startLocalRegistry('drydock-cli-image-');
  env = { ...local.containerEnv.env };
  BASE = `${local.host}/base/busybox:1.36.0`;
  const build = async (tag: string, dir: string, dockerfileText: string) =>
    local.builder.build({
      buildId: tag.replaceAll(/[^a-z0-9]/g, '-'),
      contextDir: dir,
      dockerfileText,
      tag,
      labels: {},
      timeoutMs: 60_000,
      log: () => undefined,
    });
  const base = join(local.stateDir, 'base');
  await build(BASE, base, await writeBusyboxBaseContext(base, '1.36.0'));
  baseDigest = (await local.registry.push(BASE, { repository: 'base/busybox', tag: '1.36.0' })).digest;
  const app = join(local.stateDir, 'app');
  await mkdir(app);
  await writeFile(join(app, 'hello.txt'), 'hello\n');
  await build(APP, app, `FROM ${BASE}\nCOPY hello.txt /hello.txt\nUSER nobody\n`);
  // The base is now only in the registry: resolving it has to pull it.
  await local.tool('podman', ['rmi', '--force', BASE]);
}, 120_000);

afterAll(async () => {
  await local?.stop();
});

const PASSING = `schemaVersion: "2.0.0"
commandTests:
  - {name: says hello, command: cat, args: [/hello.txt], expectedOutput: ["^hello\\n$"]}
fileExistenceTests:
  - {name: hello is there, path: /hello.txt, shouldExist: true}
metadataTest:
  user: nobody
`;
const FAILING = `schemaVersion: "2.0.0"
commandTests:
  - {name: says bye, command: cat, args: [/hello.txt], expectedOutput: ["^bye\\n$"]}
`;

describe('drydock image test', () => {
  it('explains itself with examples', async () => {
    const { code, stdout } = await runCli(['image', 'test', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--engine <engine>');
    expect(stdout).toContain('Exit status: 0 all tests pass');
    expect(stdout).toContain('drydock image test registry.example/app:1 --engine docker --network none');
  });

  it('passes with 0 tests when the test file does not exist, and says so', async () => {
    const dir = tempTree({});
    const { code, stdout, stderr } = await runCli(
      ['image', 'test', APP, '--engine', 'podman', '--tests', 'image-tests.yaml', '--junit', 'out/junit.xml'],
      { cwd: dir, env },
    );
    expect(code).toBe(0);
    expect(stderr).toBe('drydock: image-tests.yaml does not exist: no tests to run, which passes\n');
    expect(stdout).toContain(`${APP}: passed, 0 tests, 0 failed`);
    const xml = readFileSync(join(dir, 'out/junit.xml'), 'utf8');
    expect(xml).toContain('tests="0" failures="0"');
    expect(xml).toContain('(no image-tests.yaml: nothing tested)');
  });

  it('fails an invalid test file with its line, and reports it as one failed test', async () => {
    const dir = tempTree({
      'image-tests.yaml': 'schemaVersion: "2.0.0"\ncommandTests:\n  - name: x\n    comand: ls\n',
    });
    const { code, stderr } = await runCli(
      ['image', 'test', APP, '--engine', 'podman', '--junit', 'junit.xml'],
      {
        cwd: dir,
        env,
      },
    );
    expect(code).toBe(1);
    expect(stderr).toContain('image-tests.yaml: invalid image tests');
    expect(stderr).toContain('line 4, column 13: commandTests[0].comand: unknown key "comand"');
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(xml).toContain('tests="1" failures="1"');
    expect(xml).toContain('<testcase classname="image-tests" name="image-tests.yaml"');
  });

  it('runs the tests with podman, writes JUnit and exits 0 when they pass', async () => {
    const dir = tempTree({ 'image-tests.yaml': PASSING });
    const { code, stdout } = await runCli(
      [
        'image',
        'test',
        APP,
        '--engine',
        'podman',
        '--network',
        'none',
        '--time-limit',
        '120',
        '--junit',
        'r/j.xml',
      ],
      { cwd: dir, env },
    );
    expect(stdout).toContain('PASS commandTests[0] says hello');
    expect(stdout).toContain(`${APP}: passed, 3 tests, 0 failed`);
    expect(stdout).toContain('JUnit report: r/j.xml');
    expect(code).toBe(0);
    const parsed = execFileSync(
      'python3',
      [
        '-c',
        'import sys, xml.etree.ElementTree as ET\nr = ET.parse(sys.argv[1]).getroot()\nprint(r.get("tests"), r.get("failures"))',
        join(dir, 'r/j.xml'),
      ],
      { timeout: 10_000 },
    ).toString();
    expect(parsed.trim()).toBe('3 0');
  });

  it('exits 1 with the failures, and prints the report as JSON when asked', async () => {
    const dir = tempTree({ 'image-tests.yaml': FAILING });
    const { code, stdout } = await runCli(['image', 'test', APP, '--engine', 'podman', '--format', 'json'], {
      cwd: dir,
      env,
    });
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ image: APP, passed: false, tests: 1, failed: 1 });
    expect(report.results[0].failures).toEqual([
      'expectedOutput[0]: "^bye\\n$" not found in stdout "hello\\n"',
    ]);
  });

  it('exits 2 when the engine has no such image', async () => {
    const dir = tempTree({ 'image-tests.yaml': PASSING });
    const { code, stderr } = await runCli(['image', 'test', 'localhost/apps/none:1', '--engine', 'podman'], {
      cwd: dir,
      env,
    });
    expect(code).toBe(2);
    expect(stderr).toBe('drydock: cannot test localhost/apps/none:1: podman has no such image\n');
  });

  it('exits 2 naming what to install when the engine is not there', async () => {
    const dir = tempTree({ 'image-tests.yaml': PASSING });
    const emptyBin = tempDir('drydock-no-docker-');
    const { code, stderr } = await runCli(['image', 'test', APP, '--engine', 'docker'], {
      cwd: dir,
      env: { ...env, PATH: emptyBin },
    });
    expect(code).toBe(2);
    expect(stderr).toBe(
      'drydock: docker is not installed or not executable; install Docker Engine or the Debian package ' +
        '"docker.io" (apt-get install docker.io), or pass --engine podman\n',
    );
  });

  it.each([
    [['--network', 'host'], /argument 'host' is invalid/],
    [['--time-limit', '0'], /--time-limit needs a number of seconds above 0, got "0"/],
    [['--engine', 'containerd'], /argument 'containerd' is invalid/],
  ])('refuses %j with exit 2', async (flags, message) => {
    const { code, stderr } = await runCli(['image', 'test', APP, ...flags], { cwd: tempTree({}), env });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe('drydock image bases', () => {
  const bases = async (dockerfile: string, ...flags: string[]) => {
    const dir = tempTree({ Dockerfile: dockerfile });
    return runCli(['image', 'bases', '--dockerfile', 'Dockerfile', '--engine', 'podman', ...flags], {
      cwd: dir,
      env,
    });
  };

  it('pulls every external image and prints the final base and all bases with their registry digests', async () => {
    const { code, stdout, stderr } = await bases(
      [
        'ARG BASE',
        'FROM ${BASE} AS build',
        'RUN echo built > /out',
        'FROM build AS test',
        `FROM ${BASE.replace(':1.36.0', '')}:1.36.0`,
        'COPY --from=build /out /out',
        '',
      ].join('\n'),
      '--build-arg',
      `BASE=${BASE}`,
      '--pull',
    );
    // The same reference twice is pulled once.
    expect(stderr).toBe(`pulling ${BASE} (line 2)\n`);
    expect(code).toBe(0);
    const base = { name: BASE, digest: baseDigest };
    expect(JSON.parse(stdout)).toEqual({ final: base, bases: [base] });
  });

  it('follows the final stage back to an earlier one, keeps a written digest, and has no final base for scratch', async () => {
    const pinned = `${BASE}@${baseDigest}`;
    const chained = await bases(`FROM ${pinned} AS base\nFROM base\n`, '--pull');
    expect(JSON.parse(chained.stdout)).toEqual({
      final: { name: BASE, digest: baseDigest },
      bases: [{ name: BASE, digest: baseDigest }],
    });
    const scratch = await bases(`FROM ${BASE} AS build\nFROM scratch\nCOPY --from=build /bin/busybox /\n`);
    expect(JSON.parse(scratch.stdout)).toEqual({ final: null, bases: [{ name: BASE, digest: baseDigest }] });
  });

  it('refuses a tag pinned to the digest of another image, naming the digest the tag points at, and exits 2', async () => {
    const other = (await local.tool('buildah', ['from', 'scratch'])).trim();
    await local.tool('buildah', ['config', '--label', 'other=yes', other]);
    await local.tool('buildah', ['commit', '--quiet', '--rm', other, 'localhost/other:1']);
    const { digest } = await local.registry.push('localhost/other:1', {
      repository: 'base/busybox',
      tag: '1.35.0',
    });
    const { code, stdout, stderr } = await bases(`FROM ${BASE}@${digest}\n`, '--pull');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `pulling ${BASE}@${digest} (line 1)\n` +
        `drydock: line 1: ${BASE}@${digest}: the tag 1.36.0 points at ${baseDigest}, not the pinned digest; ` +
        `pin the digest the tag points at, or write ${local.host}/base/busybox@${digest} without the tag\n`,
    );
  });

  it('prints single-quoted variables that a shell can source', async () => {
    const { code, stdout } = await bases(`FROM ${BASE}\n`, '--format', 'env');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `DRYDOCK_BASE_NAME='${BASE}'`,
        `DRYDOCK_BASE_DIGEST='${baseDigest}'`,
        `DRYDOCK_BASES='[{"name":"${BASE}","digest":"${baseDigest}"}]'`,
        '',
      ].join('\n'),
    );
    const dir = tempTree({ 'bases.env': stdout });
    const sourced = execFileSync('sh', ['-c', 'set -a; . ./bases.env; set +a; env | grep ^DRYDOCK_ | sort'], {
      cwd: dir,
      env: { PATH: process.env.PATH },
    }).toString();
    expect(sourced).toBe(
      `DRYDOCK_BASES=[{"name":"${BASE}","digest":"${baseDigest}"}]\nDRYDOCK_BASE_DIGEST=${baseDigest}\nDRYDOCK_BASE_NAME=${BASE}\n`,
    );
    const scratch = await bases('FROM scratch\nCOPY x /\n', '--format', 'env');
    expect(scratch.stdout).toBe("DRYDOCK_BASE_NAME=''\nDRYDOCK_BASE_DIGEST=''\nDRYDOCK_BASES='[]'\n");
  });

  it('quotes a single quote so that the shell reads it back', () => {
    const value = `it's "$(x)" \\ \`y\``;
    const dir = tempTree({});
    writeFileSync(join(dir, 'v.env'), `V=${shellQuote(value)}\n`);
    const read = execFileSync('sh', ['-c', '. ./v.env; printf %s "$V"'], {
      cwd: dir,
      env: { PATH: process.env.PATH },
    });
    expect(read.toString()).toBe(value);
  });

  it('names the line of an ARG it cannot resolve, and exits 2', async () => {
    const { code, stderr } = await bases('ARG BASE\nFROM alpine AS a\nFROM ${BASE}\n');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'drydock: cannot resolve the bases of Dockerfile:\n' +
        '  Dockerfile: line 3: cannot resolve "${BASE}": build arg BASE has no default and was not supplied (pass --build-arg BASE=…)\n',
    );
  });

  it('asks for --pull when an image is not in the engine, and exits 2', async () => {
    const missing = `${local.host}/base/busybox:9.9.9`;
    const { code, stderr } = await bases(`FROM ${missing}\n`);
    expect(code).toBe(2);
    expect(stderr).toBe(`drydock: ${missing} is not in podman's image store (pass --pull to pull it)\n`);
    const pulled = await bases(`FROM ${missing}\n`, '--pull');
    expect(pulled.code).toBe(2);
    expect(pulled.stderr).toMatch(
      new RegExp(`^pulling ${missing} \\(line 1\\)\\ndrydock: podman pull --quiet failed: `),
    );
  });

  it('refuses a Dockerfile that does not exist', async () => {
    const { code, stderr } = await runCli(['image', 'bases', '--dockerfile', 'nope/Dockerfile'], {
      cwd: tempTree({}),
    });
    expect(code).toBe(2);
    expect(stderr).toBe('drydock: nope/Dockerfile does not exist\n');
    expect(existsSync('nope')).toBe(false);
  });
});
