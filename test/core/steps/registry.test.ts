import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETAIL_TYPES } from '../../../core/events/index.js';
import { LOCAL_EVENT_RULES } from '../../../core/events/rules.js';
import { STEP_DECLARATIONS } from '../../../core/steps/declarations.js';
import { STEPS } from '../../../core/steps/index.js';
import { renderStepDocs } from '../../../scripts/gen-step-docs.js';

const detailTypesOf = (target: string): string[] =>
  [
    ...new Set(
      LOCAL_EVENT_RULES.filter((r) => r.target === target).flatMap(
        (r) => (r.pattern as { 'detail-type': readonly string[] })['detail-type'],
      ),
    ),
  ].sort();

describe('the step registry', () => {
  it('has one step per rule target, and a rule for every step', () => {
    const targets = [...new Set(LOCAL_EVENT_RULES.map((r) => r.target))].sort();
    expect(STEPS.map((s) => s.name).sort()).toEqual(targets);
  });

  it('has unique step names', () => {
    expect(new Set(STEPS.map((s) => s.name)).size).toBe(STEPS.length);
  });

  it.each(STEPS.map((s) => [s.name, s] as const))(
    'step %s consumes exactly the detail-types its rules deliver',
    (name, step) => {
      expect([...step.consumes].sort()).toEqual(detailTypesOf(name));
    },
  );

  it.each(STEPS.map((s) => [s.name, s] as const))('step %s emits only known detail-types', (_name, step) => {
    for (const t of step.emits) expect(DETAIL_TYPES).toContain(t);
  });

  it.each(STEPS.map((s) => [s.name, s] as const))('step %s names each port once', (_name, step) => {
    expect(new Set(step.ports).size).toBe(step.ports.length);
  });

  it('declares every step once, in STEP_DECLARATIONS, and each step carries its declaration unchanged', () => {
    expect(STEPS.map((s) => s.name).sort()).toEqual(Object.keys(STEP_DECLARATIONS).sort());
    for (const step of STEPS) {
      const { name, handle: _handle, ...declared } = step;
      expect(declared).toEqual(STEP_DECLARATIONS[name]);
    }
  });

  it('has a declaration file for every step file in core/steps, and the folder holds nothing unregistered', () => {
    const files = readdirSync(new URL('../../../core/steps/', import.meta.url)).filter(
      (f) =>
        f.endsWith('.ts') &&
        !['index.ts', 'step.ts', 'step-ports.ts', 'or-fail-build.ts', 'ban.ts', 'declarations.ts'].includes(
          f,
        ),
    );
    const declared = STEPS.filter((s) => !['ban', 'rebuilds', 'band-aids'].includes(s.name)).map(
      (s) => `${s.name}.ts`,
    );
    expect(files.sort()).toEqual(declared.sort());
  });

  it('has docs/steps.md generated from the declarations (run `npm run gen:steps` when this fails)', () => {
    expect(readFileSync(join(import.meta.dirname, '../../../docs/steps.md'), 'utf8')).toBe(renderStepDocs());
  });
});
