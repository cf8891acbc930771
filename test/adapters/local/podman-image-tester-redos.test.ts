import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PodmanImageTester } from '../../../adapters/local/podman-image-tester.js';
import { parseImageTests } from '../../../core/image-tests/parse-image-tests.js';
import { failureMessages } from '../../../core/image-tests/run-image-tests.js';
import {
  buildHelloImages,
  type ContainerStorage,
  createContainerStorage,
  HELLO_APP,
} from '../../fixtures/image-tests/container-storage.js';

let storage: ContainerStorage;

beforeAll(async () => {
  storage = await createContainerStorage();
  await buildHelloImages(storage);
}, 120_000);

afterAll(async () => {
  await storage?.cleanup();
});

describe('PodmanImageTester against a catastrophic pattern', () => {
  // With a backtracking RegExp the match below takes 2^90 steps on the daemon's main thread, which nothing can
  // interrupt (not the test's time limit, not SIGTERM); with RE2 it is one pass over the output.
  it('matches ^(a+)+$ against 90 a and a ! in a real container, answers, and runs the next test', async () => {
    const output = `${'a'.repeat(90)}!`;
    const suite = parseImageTests(
      [
        'schemaVersion: "2.0.0"',
        'commandTests:',
        `  - {name: catastrophic, command: printf, args: ["${output}"], expectedOutput: ["^(a+)+$"]}`,
        '  - {name: after it, command: "true"}',
        '',
      ].join('\n'),
    );
    const tester = new PodmanImageTester({ env: storage.env });
    const report = await tester.test({ image: HELLO_APP, suite, timeLimitMs: 60_000 });
    expect(failureMessages(report)).toEqual([
      `commandTests[0] "catastrophic": expectedOutput[0]: "^(a+)+$" not found in stdout "${'a'.repeat(80)}…" (91 characters)`,
    ]);
    expect(report.results.map((r) => r.passed)).toEqual([false, true]);
  });
});
