import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the infra tests put every CDK App's outdir; removed when the run ends. */
    cdkOutRoot: string;
  }
}

// The infra files share their modules (and the default stack) in one worker, so a per-file clean-up would remove
// an outdir another file still reads: the whole run's outdirs live under one root, removed at the end instead.
export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'drydock-cdk-'));
  project.provide('cdkOutRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}
