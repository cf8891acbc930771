import type { TestReports } from '../../core/pipeline/test-step.js';

/** JUnit reports kept in memory by build id (the last saved wins, as a rewritten file); `failNext` makes a save throw. */
export class FakeTestReports implements TestReports {
  readonly saved = new Map<string, string>();
  #failure: Error | undefined;

  async save(buildId: string, junitXml: string): Promise<string> {
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure;
    this.saved.set(buildId, junitXml);
    return this.pathOf(buildId);
  }

  pathOf(buildId: string): string {
    return `memory://reports/${buildId}.junit.xml`;
  }

  failNext(error: Error): void {
    this.#failure = error;
  }
}
