import { DrydockError } from '../errors.js';
import type { ImageTestReport } from '../image-tests/run-image-tests.js';
import type { ImageTestSuite } from '../image-tests/schema.js';

/** One black-box test run: a suite against a built image. */
export interface ImageTestRequest {
  /** The image to test, by local tag or image ID. */
  readonly image: string;
  readonly suite: ImageTestSuite;
  /** Time limit of the whole suite; tests not started by then fail as not run. */
  readonly timeLimitMs: number;
  /**
   * Time limit of each test (a command test's setup, command and teardown together; a stat; a read).
   * @default 30000, and never more than `timeLimitMs`
   */
  readonly testTimeoutMs?: number;
  /** Receives a line per test and per step of the run. */
  readonly log?: (line: string) => void;
  /**
   * Aborted when the pipeline stops: the run ends as soon as it can (the sandbox is removed) and throws
   * `ImageTestInterruptedError`; no report is made of a run that did not finish.
   */
  readonly signal?: AbortSignal;
}

/** Runs image tests against an image in a sandbox with no network (podman locally, CodeBuild on AWS). */
export interface ImageTester {
  /**
   * Runs the suite and reports every result; failed assertions are in the report, not thrown. Throws
   * `ToolMissingError` or `ImageTestSandboxError` when the sandbox cannot be set up.
   */
  test(request: ImageTestRequest): Promise<ImageTestReport>;
}

/** The pipeline stopped while the tests ran: they did not fail, and the request is to be handled again. */
export class ImageTestInterruptedError extends DrydockError {
  override readonly name = 'ImageTestInterruptedError';

  constructor(image: string, options: { cause?: unknown } = {}) {
    super(`the image tests of ${image} were interrupted because the pipeline is stopping; they run again`, {
      code: 'IMAGE_TEST_INTERRUPTED',
      retryable: true,
      ...options,
    });
  }
}

/** The sandbox for the tests could not be started or inspected (no such image, the runtime failed). */
export class ImageTestSandboxError extends DrydockError {
  override readonly name = 'ImageTestSandboxError';
  readonly image: string;

  constructor(image: string, reason: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(`cannot test ${image}: ${reason}`, { code: 'IMAGE_TEST_SANDBOX_FAILED', ...options });
    this.image = image;
  }
}
