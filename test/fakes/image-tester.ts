import type {
  ImageTestKind,
  ImageTestReport,
  ImageTestResult,
} from '../../core/image-tests/run-image-tests.js';
import {
  type ImageTester,
  ImageTestInterruptedError,
  type ImageTestRequest,
  ImageTestSandboxError,
} from '../../core/ports/image-tester.js';
import type { FakeImageStore } from './image-store.js';

/** How the next run ends instead of reporting on the suite. */
export type TestScript =
  | { readonly kind: 'report'; readonly report: ImageTestReport }
  | { readonly kind: 'sandbox-error'; readonly reason: string; readonly retryable?: boolean }
  /** Starts, then runs until the request's signal aborts it (`ImageTestInterruptedError`). */
  | { readonly kind: 'hang' };

/**
 * An image tester that runs nothing: it refuses an image the local store does not have (as podman does), and
 * reports every test of the suite as passed except those `failTest` names, which fail with the given assertions.
 * It logs the lines podman's tester logs (`started …`, `PASS|FAIL id name (0 ms)` with each assertion, `removed …`).
 * `scriptNext` makes the next run return a given report, fail to set up its sandbox, or hang until aborted.
 */
export class FakeImageTester implements ImageTester {
  readonly requests: ImageTestRequest[] = [];
  readonly #store: FakeImageStore;
  readonly #failing = new Map<string, readonly string[]>();
  readonly #scripts: TestScript[] = [];

  constructor(props: { readonly store: FakeImageStore }) {
    this.#store = props.store;
  }

  /** Makes the test at `id` (`commandTests[1]`, `metadataTest`) fail with these assertions, in every run. */
  failTest(id: string, ...failures: string[]): this {
    this.#failing.set(id, failures);
    return this;
  }

  scriptNext(script: TestScript): this {
    this.#scripts.push(script);
    return this;
  }

  async test(request: ImageTestRequest): Promise<ImageTestReport> {
    this.requests.push(request);
    const log = request.log ?? (() => undefined);
    const script = this.#scripts.shift();
    if (script?.kind === 'report') return script.report;
    if (script?.kind === 'sandbox-error') {
      throw new ImageTestSandboxError(request.image, script.reason, { retryable: script.retryable ?? false });
    }
    if (!this.#store.get(request.image))
      throw new ImageTestSandboxError(request.image, 'podman has no such image');
    const container = `drydock-test-${this.requests.length.toString(16).padStart(8, '0')}`;
    log(`started ${container} from ${request.image} (no network)`);
    if (script?.kind === 'hang' || request.signal?.aborted) {
      const signal = request.signal;
      if (signal && !signal.aborted) {
        await new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => resolve(), { once: true }),
        );
      }
      log(`interrupted: removing ${container}`);
      throw new ImageTestInterruptedError(request.image);
    }
    const { suite } = request;
    const tests: [ImageTestKind, string, string][] = [
      ...suite.commandTests.map(
        (t, i) => ['commandTests', `commandTests[${i}]`, t.name] as [ImageTestKind, string, string],
      ),
      ...suite.fileExistenceTests.map(
        (t, i) =>
          ['fileExistenceTests', `fileExistenceTests[${i}]`, t.name] as [ImageTestKind, string, string],
      ),
      ...suite.fileContentTests.map(
        (t, i) => ['fileContentTests', `fileContentTests[${i}]`, t.name] as [ImageTestKind, string, string],
      ),
      ...(suite.metadataTest
        ? [['metadataTest', 'metadataTest', 'metadata'] as [ImageTestKind, string, string]]
        : []),
    ];
    const results: ImageTestResult[] = tests.map(([kind, id, name]) => {
      const failures = this.#failing.get(id) ?? [];
      return { kind, id, name, passed: failures.length === 0, failures, durationMs: 0 };
    });
    for (const r of results) {
      log(
        `${r.passed ? 'PASS' : 'FAIL'} ${r.id} ${r.name} (${r.durationMs} ms)${r.failures.map((f) => `\n  ${f}`).join('')}`,
      );
    }
    log(`removed ${container}`);
    const failed = results.filter((r) => !r.passed).length;
    return {
      image: request.image,
      passed: failed === 0,
      tests: results.length,
      failed,
      durationMs: 0,
      results,
    };
  }
}
