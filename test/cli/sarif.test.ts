import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../helpers/cli.js';

const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

describe('drydock lint --format sarif', () => {
  it('prints a SARIF 2.1.0 log that validates against the SARIF JSON schema', async () => {
    const dir = tempTree({ Dockerfile: 'FROM debian:latest\nRUN curl -fsSL https://x.example | sh\n' });
    const r = await runCli(['lint', '--format', 'sarif', join(dir, 'Dockerfile')], { cwd: dir });
    const log = JSON.parse(r.stdout);
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const results = log.runs[0].results;
    expect(results.map((x: { ruleId: string }) => x.ruleId)).toEqual(
      expect.arrayContaining(['DD110', 'DL3007']),
    );
    expect(results[0].locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
  });

  it('validates an empty log too', async () => {
    const r = await runCli(['lint', '--format', 'sarif', '-'], {
      stdin: 'FROM debian:12.5\nUSER 1000\nHEALTHCHECK NONE\n',
    });
    const log = JSON.parse(r.stdout);
    expect(log.runs[0].results).toEqual([]);
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
      JSON.parse(readFileSync(schemaPath, 'utf8')),
    );
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });
});
