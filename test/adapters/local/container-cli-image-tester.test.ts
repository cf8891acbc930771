import { execFileSync } from 'node:child_process';
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerCli } from '../../../adapters/local/container-cli.js';
import { ContainerCliImageTester } from '../../../adapters/local/container-cli-image-tester.js';
import { ToolMissingError } from '../../../core/errors.js';
import { parseImageTests } from '../../../core/image-tests/parse-image-tests.js';
import { failureMessages } from '../../../core/image-tests/run-image-tests.js';
import { ImageTestSandboxError } from '../../../core/ports/image-tester.js';
import {
  buildHelloImages,
  type ContainerStorage,
  createContainerStorage,
  HELLO_APP,
  HELLO_BASE,
} from '../../fixtures/image-tests/container-storage.js';

// podman's command line stands in for Docker's: the tester uses only the commands and flags both have.
const BASE = HELLO_BASE;
const APP = HELLO_APP;
const FILES = 'localhost/apps/files:1';
const BARE = 'localhost/apps/bare:1';
const fixture = (name: string) =>
  readFile(new URL(`../../fixtures/image-tests/${name}`, import.meta.url), 'utf8');
const suite = (...lines: string[]) => parseImageTests(['schemaVersion: "2.0.0"', ...lines, ''].join('\n'));

let storage: ContainerStorage;
let tester: ContainerCliImageTester;

beforeAll(async () => {
  storage = await createContainerStorage();
  const { build, appDir: app } = await buildHelloImages(storage);
  await build(
    FILES,
    app,
    [
      `FROM ${BASE}`,
      'COPY hello.txt /app/hello.txt',
      // Owned by 1000:2000, setuid; a relative link, an absolute one, a link to a link, a dangling one, a loop;
      // a file over the 4 MiB a content test reads.
      'RUN chown 1000:2000 /app/hello.txt && chmod 4750 /app/hello.txt' +
        ' && ln -s hello.txt /app/link && ln -s /app/link /app/link2 && mkdir -p /srv && ln -s /app /srv/app' +
        ' && ln -s missing /app/dangling && ln -s loop /app/loop' +
        ' && dd if=/dev/zero of=/app/big bs=1024 count=4097 2>/dev/null',
      'ENTRYPOINT ["echo", "from-entrypoint"]',
      'USER 1000:2000',
      '',
    ].join('\n'),
  );
  // An image with neither a shell nor stat nor cat.
  await build(BARE, app, 'FROM scratch\nCOPY hello.txt /hello.txt\n');
  tester = new ContainerCliImageTester(new ContainerCli({ engine: 'podman', env: storage.env }));
}, 120_000);

afterAll(async () => {
  await storage?.cleanup();
});

const leftovers = async () => ({
  containers: await storage.tool('podman', ['ps', '--all', '--quiet']),
  // The image's VOLUME /data gives every container an anonymous volume.
  volumes: await storage.tool('podman', ['volume', 'ls', '--quiet']),
  images: (await storage.tool('podman', ['images', '--quiet', '--all'])).split('\n').filter(Boolean).length,
});

describe('ContainerCliImageTester (with podman)', () => {
  it('passes the suite the podman tester passes, a container per command, all removed after', async () => {
    const before = await leftovers();
    const lines: string[] = [];
    const report = await tester.test({
      image: APP,
      suite: parseImageTests(await fixture('passing.yaml')),
      timeLimitMs: 120_000,
      log: (l) => lines.push(l),
    });
    expect(failureMessages(report)).toEqual([]);
    expect(report).toMatchObject({ image: APP, passed: true, tests: 10, failed: 0 });
    expect(lines[0]).toBe('testing localhost/apps/hello:1 with podman: a container per command, no network');
    expect(lines.filter((l) => l.startsWith('PASS '))).toHaveLength(10);
    expect(lines.at(-1)).toBe('removed 1 container');
    // The setup's commit is gone too.
    expect(await leftovers()).toEqual({ containers: '', volumes: '', images: before.images });
  });

  it('reports each failing assertion as the podman tester does', async () => {
    const report = await tester.test({
      image: APP,
      suite: parseImageTests(await fixture('failing.yaml')),
      timeLimitMs: 60_000,
    });
    expect(report).toMatchObject({ passed: false, tests: 5, failed: 4 });
    expect(failureMessages(report)).toEqual([
      'commandTests[0] "says hello": expectedOutput[0]: "hello" not found in stdout "bye\\n"',
      'fileExistenceTests[0] "config is present": shouldExist: /etc/app/config.yaml does not exist',
      'fileContentTests[0] "reads a missing file": path: /etc/app/missing.conf does not exist',
      'metadataTest "metadata": labels[0]: label org.opencontainers.image.revision is "0123456789abcdef", expected "fedcba9876543210"',
    ]);
  });

  it("runs the test's command instead of the image's entrypoint, as the image's user, with the env", async () => {
    const report = await tester.test({
      image: FILES,
      suite: parseImageTests(String.raw`
schemaVersion: "2.0.0"
globalEnvVars: [{key: A, value: global}, {key: B, value: "it's $HOME"}]
commandTests:
  - {name: no entrypoint, command: echo, expectedOutput: ["^\n$"]}
  - name: user and env
    envVars: [{key: A, value: test}]
    command: sh
    args: ["-c", "id -u; id -g; echo $A; echo \"$B\""]
    expectedOutput: ["^1000\n2000\ntest\nit's \\$HOME\n$"]
  - {name: stderr and exit code, command: sh, args: ["-c", "echo oops >&2; exit 7"], exitCode: 7, expectedError: [oops]}
  - {name: not there, command: /no/such/command}
`),
      timeLimitMs: 60_000,
    });
    const [none, env, exit, missing] = report.results;
    expect(none?.failures).toEqual([]);
    expect(env?.failures).toEqual([]);
    expect(exit?.failures).toEqual([]);
    expect(missing?.failures).toHaveLength(1);
    expect(missing?.failures[0]).toMatch(/^exitCode: expected 0, got 127 \(stderr "Error: /);
    expect(missing?.stderr).toMatch(/\/no\/such\/command.*no such file or directory/);
  });

  it('builds each step on the one before it and leaves the image untouched for the next test', async () => {
    const report = await tester.test({
      image: APP,
      suite: suite(
        'commandTests:',
        '  - name: two setup steps',
        '    setup: [["mkdir", "/tmp/w"], ["touch", "/tmp/w/ready"]]',
        '    command: ls',
        '    args: [/tmp/w]',
        '    expectedOutput: ["^ready\\n$"]',
        '    teardown: [["ls", "/tmp/w/ready"]]',
        '  - {name: fresh again, command: ls, args: [/tmp], excludedOutput: [w]}',
        '  - name: failed setup',
        '    setup: [["false"]]',
        '    command: "true"',
      ),
      timeLimitMs: 60_000,
    });
    expect(failureMessages(report)).toEqual([
      'commandTests[2] "failed setup": setup[0]: "false" exited with 1',
      'commandTests[2] "failed setup": command "true" not run: setup failed',
    ]);
  });

  it('checks files by copying them out of a container that never starts: links followed, owners and modes kept', async () => {
    const report = await tester.test({
      image: FILES,
      suite: suite(
        'fileExistenceTests:',
        '  - {name: setuid, path: /app/hello.txt, shouldExist: true, permissions: "-rwsr-x---", uid: 1000, gid: 2000}',
        '  - {name: link to link, path: /app/link2, shouldExist: true, permissions: "-rwsr-x---", uid: 1000}',
        '  - {name: directory through a link, path: /srv/app, shouldExist: true, permissions: drwxr-xr-x, uid: 0}',
        '  - {name: root, path: /, shouldExist: true, permissions: drwxr-xr-x}',
        '  - {name: trailing dot, path: /app/., shouldExist: true, permissions: drwxr-xr-x}',
        '  - {name: dangling link, path: /app/dangling, shouldExist: false}',
        '  - {name: missing, path: /etc/missing, shouldExist: false}',
        '  - {name: under a file, path: /app/hello.txt/x, shouldExist: false}',
        '  - {name: loop, path: /app/loop, shouldExist: false}',
        'fileContentTests:',
        '  - {name: through links, path: /app/link2, expectedContents: ["^hello from the app\\n$"]}',
        '  - {name: a big binary, path: /bin/busybox, expectedContents: ["BusyBox"]}',
        '  - {name: a directory, path: /app, expectedContents: [x]}',
        '  - {name: too big, path: /app/big, expectedContents: [x]}',
        '  - {name: missing, path: /etc/missing, expectedContents: [x]}',
      ),
      timeLimitMs: 60_000,
    });
    expect(failureMessages(report)).toEqual([
      'fileContentTests[2] "a directory": cannot read /app: /app is a directory',
      'fileContentTests[3] "too big": cannot read /app/big: the file is larger than 4194304 bytes',
      'fileContentTests[4] "missing": path: /etc/missing does not exist',
    ]);
  });

  it('reads files of an image with no shell, stat or cat; owners there need stat under podman', async () => {
    const report = await tester.test({
      image: BARE,
      suite: suite(
        'fileExistenceTests:',
        '  - {name: present, path: /hello.txt, shouldExist: true, permissions: "-rw-r--r--"}',
        // The owner check is per path: every test of that path then needs stat.
        '  - {name: owner, path: /, shouldExist: true, uid: 0}',
        'fileContentTests: [{name: hello, path: /hello.txt, expectedContents: ["^hello from the app"]}]',
      ),
      timeLimitMs: 60_000,
    });
    expect(failureMessages(report)).toEqual([
      `fileExistenceTests[1] "owner": cannot check /: podman cp reports every file as owned by the container's user, so owners are read with the image's stat, which the image does not have`,
    ]);
  });

  it('stops a command at its time limit and the suite at its overall limit, and removes the container', async () => {
    const started = Date.now();
    const report = await tester.test({
      image: APP,
      suite: suite(
        'commandTests:',
        '  - {name: sleeps, command: sleep, args: ["30"]}',
        '  - {name: later, command: "true"}',
      ),
      timeLimitMs: 1_000,
      testTimeoutMs: 5_000,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(report.results.map((r) => r.failures)).toEqual([
      ['command "sleep 30" was stopped at the suite\'s time limit of 1000 ms'],
      ["not run: the suite's time limit of 1000 ms was reached"],
    ]);
    expect((await leftovers()).containers).toBe('');
  });

  it('refuses an image the engine does not have', async () => {
    const error = await tester
      .test({ image: 'localhost/apps/missing:1', suite: suite(), timeLimitMs: 10_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageTestSandboxError);
    expect((error as Error).message).toBe('cannot test localhost/apps/missing:1: podman has no such image');
  });

  it('names the Debian package when the engine is not installed', async () => {
    const missing = new ContainerCliImageTester(
      new ContainerCli({ engine: 'podman', binary: '/nonexistent/podman', env: storage.env }),
    );
    const error = await missing
      .test({ image: APP, suite: suite(), timeLimitMs: 10_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolMissingError);
    expect((error as Error).message).toContain('install the Debian package "podman"');
  });
});

// Docker's `cp` archives a symbolic link itself (podman's follows it) and keeps owners (podman's rewrites them):
// a directory tree archived by GNU tar, which does the same, stands in for the daemon here.
class DockerLikeCli extends ContainerCli {
  constructor(private readonly root: string) {
    super({ engine: 'docker', binary: 'docker' });
  }

  override async run(args: readonly string[]) {
    const ok = (stdout = '') => ({
      exitCode: 0,
      signal: null,
      stdout,
      stderr: '',
      truncated: false,
      timedOut: false,
      aborted: false,
    });
    if (args[0] === 'image' && args[1] === 'inspect')
      return ok(JSON.stringify([{ Id: 'sha256:feed', Config: {} }]));
    return ok();
  }

  override async stream(args: readonly string[], timeoutMs: number, onStdout: (chunk: Buffer) => boolean) {
    const path = (args[1] ?? '').replace(/^[^:]*:/, '');
    try {
      await lstat(join(this.root, path));
    } catch {
      return {
        exitCode: 1,
        stderr: `Error response from daemon: Could not find the file ${path} in container c\n`,
        timedOut: false,
        stopped: false,
      };
    }
    const archive = execFileSync('tar', ['-C', this.root, '--numeric-owner', '-cf', '-', `.${path}`], {
      timeout: timeoutMs,
    });
    return { exitCode: 0, stderr: '', timedOut: false, stopped: onStdout(archive) };
  }
}

describe('ContainerCliImageTester (Docker cp semantics, from a directory tree)', () => {
  it('follows links itself and takes owners from the archive', async () => {
    const root = await mkdtemp(join(tmpdir(), 'drydock-docker-cp-'));
    await mkdir(join(root, 'app/sub'), { recursive: true });
    await writeFile(join(root, 'app/hello.txt'), 'hello\n');
    // chown clears setuid: it goes first.
    await chown(join(root, 'app/hello.txt'), 1000, 2000);
    await chmod(join(root, 'app/hello.txt'), 0o4750);
    await symlink('hello.txt', join(root, 'app/link'));
    await symlink('/app/link', join(root, 'app/abs'));
    await symlink('../../app', join(root, 'app/sub/up'));
    await symlink('missing', join(root, 'app/dangling'));
    await symlink('loop', join(root, 'app/loop'));
    const docker = new ContainerCliImageTester(new DockerLikeCli(root));
    const report = await docker.test({
      image: 'app:1',
      suite: suite(
        'fileExistenceTests:',
        '  - {name: file, path: /app/hello.txt, shouldExist: true, permissions: "-rwsr-x---", uid: 1000, gid: 2000}',
        '  - {name: relative link, path: /app/link, shouldExist: true, permissions: "-rwsr-x---", uid: 1000}',
        '  - {name: absolute link to a link, path: /app/abs, shouldExist: true, gid: 2000}',
        '  - {name: link up to a directory, path: /app/sub/up, shouldExist: true, permissions: drwxr-xr-x}',
        '  - {name: dangling, path: /app/dangling, shouldExist: false}',
        '  - {name: loop, path: /app/loop, shouldExist: true}',
        'fileContentTests:',
        '  - {name: through links, path: /app/abs, expectedContents: ["^hello\\n$"]}',
      ),
      timeLimitMs: 30_000,
    });
    await rm(root, { recursive: true, force: true });
    expect(failureMessages(report)).toEqual([
      'fileExistenceTests[5] "loop": cannot check /app/loop: too many levels of symbolic links at /app/loop',
    ]);
  });
});
