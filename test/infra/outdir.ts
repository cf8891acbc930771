import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/** A fresh outdir for one CDK App, under the run's root that test/infra/global-setup.ts removes at the end. */
export function cdkOutdir(): string {
  return mkdtempSync(join(inject('cdkOutRoot'), 'app-'));
}
