import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PodmanImageTester } from '../../../adapters/local/podman-image-tester.js';
import { renderJUnitXml } from '../../../core/image-tests/junit-report.js';
import { parseImageTests } from '../../../core/image-tests/parse-image-tests.js';
import { failureMessages } from '../../../core/image-tests/run-image-tests.js';
import { ToolMissingError } from '../../../core/ports/build-service.js';
import { ImageTestInterruptedError, ImageTestSandboxError } from '../../../core/ports/image-tester.js';
import {
  buildHelloImages,
  type ContainerStorage,
  createContainerStorage,
  HELLO_APP,
} from '../../fixtures/image-tests/container-storage.js';
import { tempDir } from '../../helpers/temp-dir.js';

const APP = HELLO_APP;
const BARE = 'localhost/apps/bare:1';
const fixture = (name: string) =>
  readFile(new URL(`../../fixtures/image-tests/${name}`, import.meta.url), 'utf8');

let storage: ContainerStorage;
let tester: PodmanImageTester;

beforeAll(async () => {
  storage = await createContainerStorage();
  const { build, appDir: app } = await buildHelloImages(storage);
  // An image with neither a shell nor stat nor cat: file checks cannot be made in it.
  await build(BARE, app, 'FROM scratch\nCOPY hello.txt /hello.txt\n');
  tester = new PodmanImageTester({ env: storage.env });
}, 90_000);

afterAll(async () => {
  await storage?.cleanup();
});

async function testContainers(): Promise<string> {
  return storage.tool('podman', ['ps', '--all', '--quiet', '--filter', 'label=io.drydock.role=image-test']);
}

describe('PodmanImageTester', () => {
  it('passes a suite that the image meets, in one container with no network that is removed after', async () => {
    const lines: string[] = [];
    const report = await tester.test({
      image: APP,
      suite: parseImageTests(await fixture('passing.yaml')),
      timeLimitMs: 60_000,
      log: (l) => lines.push(l),
    });
    expect(failureMessages(report)).toEqual([]);
    expect(report).toMatchObject({ image: APP, passed: true, tests: 10, failed: 0 });
    expect(lines[0]).toMatch(/^started drydock-test-\w+ from localhost\/apps\/hello:1 \(no network\)$/);
    expect(lines.at(-1)).toMatch(/^removed drydock-test-/);
    expect(lines.filter((l) => l.startsWith('PASS '))).toHaveLength(10);
    expect(await testContainers()).toBe('');
  });

  it("runs a team's tests in a sandbox with no network interface but loopback", async () => {
    // A team's test that would pass only if the sandbox had a network interface besides loopback.
    const suite = parseImageTests(
      [
        'schemaVersion: "2.0.0"',
        'commandTests:',
        '  - name: sees only loopback',
        '    command: ls',
        '    args: ["/sys/class/net"]',
        '    expectedOutput: ["^lo\\\\s*$"]',
        '',
      ].join('\n'),
    );
    const report = await tester.test({ image: APP, suite, timeLimitMs: 30_000 });
    expect(failureMessages(report)).toEqual([]);
    expect(report).toMatchObject({ passed: true, tests: 1, failed: 0 });
  });

  it('reports each failing assertion by name and renders JUnit XML', async () => {
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
    const xml = renderJUnitXml(report);
    const parsed = execFileSync(
      'python3',
      [
        '-c',
        'import sys, xml.etree.ElementTree as ET\nr = ET.fromstring(sys.stdin.buffer.read())\n' +
          'print(r.get("tests"), r.get("failures"), len(r.findall(".//failure")))',
      ],
      { input: xml, timeout: 10_000 },
    ).toString();
    expect(parsed.trim()).toBe('5 4 4');
    expect(await testContainers()).toBe('');
  });

  it('stops a command at its time limit and the suite at its overall limit', async () => {
    const suite = parseImageTests(
      [
        'schemaVersion: "2.0.0"',
        'commandTests:',
        '  - {name: sleeps, command: sleep, args: ["30"]}',
        '  - {name: later, command: "true"}',
        '',
      ].join('\n'),
    );
    const started = Date.now();
    // The first command gets the time left of the suite, less than its own limit.
    const report = await tester.test({ image: APP, suite, timeLimitMs: 1_000, testTimeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(report.results.map((r) => r.failures)).toEqual([
      ['command "sleep 30" was stopped at the suite\'s time limit of 1000 ms'],
      ["not run: the suite's time limit of 1000 ms was reached"],
    ]);
    expect(await testContainers()).toBe('');
  });

  it('ends a run at once when the pipeline stops: the container is removed and nothing is reported', async () => {
    const suite = parseImageTests(
      'schemaVersion: "2.0.0"\ncommandTests:\n  - {name: sleeps, command: sleep, args: ["30"]}\n',
    );
    const stopping = new AbortController();
    const lines: string[] = [];
    const started = Date.now();
    const run = tester.test({
      image: APP,
      suite,
      timeLimitMs: 60_000,
      testTimeoutMs: 40_000,
      signal: stopping.signal,
      log: (l) => {
        lines.push(l);
        if (l.startsWith('started ')) setTimeout(() => stopping.abort(), 500);
      },
    });
    await expect(run).rejects.toBeInstanceOf(ImageTestInterruptedError);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(lines.some((l) => /^interrupted: removing drydock-test-/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('FAIL') || l.startsWith('PASS'))).toBe(false);
    expect(await testContainers()).toBe('');
    await expect(
      tester.test({ image: APP, suite, timeLimitMs: 1_000, signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(ImageTestInterruptedError);
    expect(await testContainers()).toBe('');
  });

  it('fails file checks clearly when the image has no stat or cat', async () => {
    const suite = parseImageTests(
      [
        'schemaVersion: "2.0.0"',
        'fileExistenceTests: [{name: hello, path: /hello.txt, shouldExist: true}]',
        'fileContentTests: [{name: hello, path: /hello.txt, expectedContents: [hello]}]',
        '',
      ].join('\n'),
    );
    const report = await tester.test({ image: BARE, suite, timeLimitMs: 30_000 });
    expect(failureMessages(report)).toEqual([
      'fileExistenceTests[0] "hello": cannot check /hello.txt: the image has no stat command, which the tests need to check files',
      'fileContentTests[0] "hello": cannot read /hello.txt: the image has no cat command, which the tests need to read files',
    ]);
  });

  it('asks for another try when an image that exists gives a container that does not start', async () => {
    // The real podman for everything but starting the container, which fails as runc sometimes does.
    const podman = join(tempDir('drydock-podman-'), 'podman');
    writeFileSync(
      podman,
      '#!/bin/sh\nfor a; do [ "$a" = run ] && { echo "Error: runc: runc create failed: unable to start container process: error during container init: error preparing rootfs: permission denied: OCI permission denied" >&2; exit 126; }; done\nexec podman "$@"\n',
      { mode: 0o755 },
    );
    const flaky = new PodmanImageTester({ podman, env: storage.env });
    const error = await flaky
      .test({ image: APP, suite: parseImageTests('schemaVersion: "2.0.0"\n'), timeLimitMs: 10_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageTestSandboxError);
    expect((error as ImageTestSandboxError).retryable).toBe(true);
    expect((error as Error).message).toContain('podman run failed: Error: runc: runc create failed');
  });

  it('refuses an image that does not exist', async () => {
    const error = await tester
      .test({
        image: 'localhost/apps/missing:1',
        suite: parseImageTests('schemaVersion: "2.0.0"\n'),
        timeLimitMs: 10_000,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageTestSandboxError);
    expect((error as Error).message).toMatch(/^cannot test localhost\/apps\/missing:1: .*image not known/);
  });

  it('runs the tests as root of its own user namespace, an unprivileged uid on the host', async () => {
    const suite = parseImageTests(
      [
        'schemaVersion: "2.0.0"',
        'commandTests:',
        '  - name: uid map',
        '    command: cat',
        '    args: ["/proc/self/uid_map"]',
        // "0 <host uid> <count>": root inside is a uid of the containers range outside, never the host's root.
        "    expectedOutput: ['^\\s*0\\s+21474\\d{5}\\s+\\d+\\s*$']",
        '',
      ].join('\n'),
    );
    const report = await tester.test({ image: APP, suite, timeLimitMs: 30_000 });
    expect(failureMessages(report)).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it('names the Debian package when podman is missing', async () => {
    const missing = new PodmanImageTester({ podman: '/nonexistent/podman', env: storage.env });
    const error = await missing
      .test({ image: APP, suite: parseImageTests('schemaVersion: "2.0.0"\n'), timeLimitMs: 10_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolMissingError);
    expect((error as Error).message).toContain('install the Debian package "podman"');
  });
});
