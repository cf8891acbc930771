import { describe, expect, it } from 'vitest';
import type { ImageConfig } from '../../../core/image-tests/observations.js';
import { parseImageTests } from '../../../core/image-tests/parse-image-tests.js';
import {
  failureMessages,
  type ImageProbe,
  runImageTests,
} from '../../../core/image-tests/run-image-tests.js';
import { ImageTestInterruptedError } from '../../../core/ports/image-tester.js';

const CONFIG: ImageConfig = {
  env: [],
  labels: {},
  exposedPorts: [],
  volumes: [],
  entrypoint: [],
  cmd: [],
  workdir: '',
  user: '',
};

// A scripted probe: the runner's ordering, limits and fail-closed handling are what is under test here.
function probe(calls: string[], overrides: Partial<ImageProbe> = {}): ImageProbe {
  return {
    config: async () => CONFIG,
    exec: async (argv, env, timeoutMs) => {
      calls.push(`exec ${argv.join(' ')} ${JSON.stringify(env)} ${timeoutMs}`);
      return argv[0] === 'false'
        ? { exitCode: 1, stdout: '', stderr: 'no' }
        : { exitCode: 0, stdout: 'ok\n', stderr: '' };
    },
    stat: async (path) => {
      calls.push(`stat ${path}`);
      return { exists: false };
    },
    read: async (path) => {
      calls.push(`read ${path}`);
      return { exists: true, content: 'x' };
    },
    ...overrides,
  };
}

const SUITE = parseImageTests(`
schemaVersion: "2.0.0"
globalEnvVars: [{key: G, value: "1"}, {key: T, value: global}]
commandTests:
  - name: with setup
    envVars: [{key: T, value: test}]
    setup: [["mkdir", "/w"]]
    teardown: [["rm", "-r", "/w"]]
    command: echo
    args: [ok]
    expectedOutput: ["^ok"]
  - name: setup fails
    setup: [["false"]]
    teardown: [["cleanup"]]
    command: never
fileExistenceTests:
  - {name: gone, path: /gone, shouldExist: false}
fileContentTests:
  - {name: content, path: /c, expectedContents: ["y"]}
metadataTest:
  user: app
`);

describe('runImageTests', () => {
  it('runs setup, command and teardown with merged environments, then file and metadata tests', async () => {
    const calls: string[] = [];
    const seen: string[] = [];
    const report = await runImageTests(SUITE, probe(calls), {
      image: 'img',
      timeLimitMs: 60_000,
      testTimeoutMs: 5_000,
      clock: () => 0,
      onResult: (r) => seen.push(r.id),
    });
    expect(calls).toEqual([
      'exec mkdir /w {"G":"1","T":"test"} 5000',
      'exec echo ok {"G":"1","T":"test"} 5000',
      'exec rm -r /w {"G":"1","T":"test"} 5000',
      'exec false {"G":"1","T":"global"} 5000',
      'exec cleanup {"G":"1","T":"global"} 5000',
      'stat /gone',
      'read /c',
    ]);
    expect(seen).toEqual([
      'commandTests[0]',
      'commandTests[1]',
      'fileExistenceTests[0]',
      'fileContentTests[0]',
      'metadataTest',
    ]);
    expect(report).toMatchObject({ image: 'img', passed: false, tests: 5, failed: 3 });
    expect(report.results[0]).toMatchObject({ passed: true, stdout: 'ok\n' });
    expect(failureMessages(report)).toEqual([
      'commandTests[1] "setup fails": setup[0]: "false" exited with 1 (stderr "no")',
      'commandTests[1] "setup fails": command "never" not run: setup failed',
      'fileContentTests[0] "content": expectedContents[0]: "y" not found in the contents of /c "x"',
      'metadataTest "metadata": user: expected "app", got ""',
    ]);
  });

  it('fails tests not started within the time limit and caps each step at the time left', async () => {
    let now = 0;
    const calls: string[] = [];
    const slow = probe(calls, {
      exec: async (argv, _env, timeoutMs) => {
        calls.push(`exec ${argv[0]} ${timeoutMs}`);
        now += 700;
        return { exitCode: 0, stdout: 'ok', stderr: '' };
      },
    });
    const report = await runImageTests(SUITE, slow, {
      image: 'img',
      timeLimitMs: 1_000,
      testTimeoutMs: 5_000,
      clock: () => now,
    });
    // The teardown is not started: the suite's time ran out during the command.
    expect(calls).toEqual(['exec mkdir 1000', 'exec echo 300']);
    expect(report.results[0]?.failures).toEqual([
      'teardown[0]: "rm -r /w" was stopped at the suite\'s time limit of 1000 ms',
    ]);
    expect(report.results.slice(1).map((r) => r.failures)).toEqual(
      Array(4).fill(["not run: the suite's time limit of 1000 ms was reached"]),
    );
    expect(report.durationMs).toBe(1_400);
  });

  it("bounds a command test as a whole: setup, command and teardown share the test's limit", async () => {
    let now = 0;
    const calls: string[] = [];
    const suite = parseImageTests(`
schemaVersion: "2.0.0"
commandTests:
  - name: slow steps
    setup: [["s1"], ["s2"], ["s3"]]
    teardown: [["t1"]]
    command: c
  - {name: next, command: n}
`);
    const slow = probe(calls, {
      exec: async (argv, _env, timeoutMs) => {
        calls.push(`exec ${argv[0]} ${timeoutMs}`);
        // Each step takes 400 ms, or is stopped at its limit.
        now += Math.min(400, timeoutMs);
        return timeoutMs < 400
          ? { exitCode: null, stdout: '', stderr: '', timedOutAfterMs: timeoutMs }
          : { exitCode: 0, stdout: '', stderr: '' };
      },
    });
    const report = await runImageTests(suite, slow, {
      image: 'img',
      timeLimitMs: 60_000,
      testTimeoutMs: 1_000,
      clock: () => now,
    });
    // Each step would fit the limit on its own; together they do not: the third is stopped, the teardown not started.
    expect(calls).toEqual(['exec s1 1000', 'exec s2 600', 'exec s3 200', 'exec n 1000']);
    expect(failureMessages(report)).toEqual([
      'commandTests[0] "slow steps": setup[2]: "s3" timed out after 1000 ms',
      'commandTests[0] "slow steps": command "c" not run: setup failed',
      'commandTests[0] "slow steps": teardown[0]: "t1" timed out after 1000 ms',
    ]);
  });

  it('names the suite limit, not the milliseconds left of it, when a command is cut short by it', async () => {
    let now = 0;
    const suite = parseImageTests(
      'schemaVersion: "2.0.0"\ncommandTests:\n  - {name: sleeps, command: sleep}\n',
    );
    const slow = probe([], {
      exec: async (_argv, _env, timeoutMs) => {
        now += timeoutMs;
        return { exitCode: null, stdout: '', stderr: '', timedOutAfterMs: timeoutMs };
      },
    });
    const report = await runImageTests(suite, slow, {
      image: 'img',
      timeLimitMs: 1_000,
      testTimeoutMs: 5_000,
      clock: () => now++, // every look at the clock takes a moment of the suite's time
    });
    expect(report.results.map((r) => r.failures)).toEqual([
      ['command "sleep" was stopped at the suite\'s time limit of 1000 ms'],
    ]);
  });

  it("names the suite limit when the test's own limit equals it, as when a tester caps one at the other", async () => {
    const suite = parseImageTests(
      'schemaVersion: "2.0.0"\ncommandTests:\n  - {name: sleeps, command: sleep}\n',
    );
    const slow = probe([], {
      exec: async (_argv, _env, timeoutMs) => ({
        exitCode: null,
        stdout: '',
        stderr: '',
        timedOutAfterMs: timeoutMs,
      }),
    });
    const report = await runImageTests(suite, slow, {
      image: 'img',
      timeLimitMs: 1_000,
      testTimeoutMs: 1_000,
      clock: () => 0,
    });
    expect(report.results.map((r) => r.failures)).toEqual([
      ['command "sleep" was stopped at the suite\'s time limit of 1000 ms'],
    ]);
  });

  it('bounds the matching work of the whole suite: tests past its limit fail without matching', async () => {
    // Each match is about 3000 instructions × 20,000 characters, under the limit of one match; five are over
    // the suite's.
    const suite = parseImageTests(
      `schemaVersion: "2.0.0"\ncommandTests:\n${'  - {name: t, command: x, excludedOutput: ["(a|b){999}"]}\n'.repeat(5)}`,
    );
    const wordy = probe([], {
      exec: async () => ({ exitCode: 0, stdout: 'x'.repeat(20_000), stderr: '' }),
    });
    const report = await runImageTests(suite, wordy, {
      image: 'img',
      timeLimitMs: 60_000,
      testTimeoutMs: 5_000,
      clock: () => 0,
    });
    expect(report.results.map((r) => r.passed)).toEqual([true, true, true, true, false]);
    expect(report.results[4]?.failures).toEqual([
      expect.stringMatching(
        /^excludedOutput\[0\]: .* not matched: .* over the \d+ left of the suite's limit; /,
      ),
    ]);
  });

  it('ends with ImageTestInterruptedError when aborted, reporting no result for the test it stopped', async () => {
    const suite = parseImageTests(
      'schemaVersion: "2.0.0"\ncommandTests:\n  - {name: first, command: "true"}\n  - {name: stopped, command: sleep}\n  - {name: never, command: "true"}\n',
    );
    const stopping = new AbortController();
    const calls: string[] = [];
    const results: string[] = [];
    const run = runImageTests(
      suite,
      probe(calls, {
        exec: async (argv) => {
          calls.push(argv.join(' '));
          if (argv[0] !== 'sleep') return { exitCode: 0, stdout: '', stderr: '' };
          stopping.abort();
          // What podman answers when the container is removed under the exec.
          return { exitCode: 137, stdout: '', stderr: 'container has been removed' };
        },
      }),
      {
        image: 'app:1',
        timeLimitMs: 60_000,
        testTimeoutMs: 5_000,
        signal: stopping.signal,
        onResult: (r) => results.push(r.name),
      },
    );
    await expect(run).rejects.toBeInstanceOf(ImageTestInterruptedError);
    await expect(run).rejects.toMatchObject({ retryable: true, code: 'IMAGE_TEST_INTERRUPTED' });
    expect(calls).toEqual(['true', 'sleep']);
    expect(results).toEqual(['first']);
  });

  it('starts nothing when aborted before it runs, also when the probe throws on abort', async () => {
    const suite = parseImageTests(
      'schemaVersion: "2.0.0"\ncommandTests:\n  - {name: one, command: "true"}\n',
    );
    const calls: string[] = [];
    await expect(
      runImageTests(suite, probe(calls), {
        image: 'app:1',
        timeLimitMs: 1_000,
        testTimeoutMs: 1_000,
        signal: AbortSignal.abort(),
      }),
    ).rejects.toBeInstanceOf(ImageTestInterruptedError);
    expect(calls).toEqual([]);
    const stopping = new AbortController();
    const throwing = probe(calls, {
      exec: async () => {
        stopping.abort();
        throw new Error('podman exec: no such container');
      },
    });
    await expect(
      runImageTests(suite, throwing, {
        image: 'app:1',
        timeLimitMs: 1_000,
        testTimeoutMs: 1_000,
        signal: stopping.signal,
      }),
    ).rejects.toBeInstanceOf(ImageTestInterruptedError);
  });

  it('fails a test whose probe throws, and runs the others', async () => {
    const report = await runImageTests(
      SUITE,
      probe([], {
        stat: async () => {
          throw new Error('container died');
        },
      }),
      { image: 'img', timeLimitMs: 60_000, testTimeoutMs: 1_000 },
    );
    expect(report.results[2]).toMatchObject({ passed: false, failures: ['could not run: container died'] });
    expect(report.tests).toBe(5);
  });

  it("runs the steps of a test with setup or teardown through the probe's withSteps, when it has one", async () => {
    const calls: string[] = [];
    const plain = probe(calls);
    const report = await runImageTests(
      parseImageTests(`
schemaVersion: "2.0.0"
commandTests:
  - {name: stepped, setup: [[mkdir, /w]], command: ls, args: [/w]}
  - {name: alone, command: "true"}
`),
      {
        ...plain,
        withSteps: async (body) => {
          calls.push('steps begin');
          const result = await body((argv, env, timeoutMs) => {
            calls.push(`step ${argv.join(' ')}`);
            return plain.exec(argv, env, timeoutMs);
          });
          calls.push('steps end');
          return result;
        },
      },
      { image: 'img', timeLimitMs: 60_000, testTimeoutMs: 1_000, clock: () => 0 },
    );
    expect(calls).toEqual([
      'steps begin',
      'step mkdir /w',
      'exec mkdir /w {} 1000',
      'step ls /w',
      'exec ls /w {} 1000',
      'steps end',
      'exec true {} 1000',
    ]);
    expect(report).toMatchObject({ passed: true, tests: 2 });
  });
});
