import { expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/lint/config.js';
import { type Finding, lintText } from '../../core/lint/engine.js';
import type { LintPolicy } from '../../core/lint/rule.js';
import { RULES } from '../../core/lint/rules/index.js';

/** Findings of one rule on a Dockerfile text, with pragmas honoured and nothing else configured. */
export function findingsOf(id: string, dockerfile: string, policy: LintPolicy = {}): Finding[] {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id} in the registry`);
  return lintText(dockerfile, 'Dockerfile', { rules: [rule], policy, config: DEFAULT_CONFIG }).filter(
    (f) => f.code === id,
  );
}

/** One test case: the rule reports at least one finding (and on `line`, when given). */
export function catches(
  id: string,
  dockerfile: string,
  opts: { line?: number; policy?: LintPolicy } = {},
): void {
  it(`${id} catches ${JSON.stringify(dockerfile.length > 70 ? `${dockerfile.slice(0, 67)}...` : dockerfile)}`, () => {
    const found = findingsOf(id, dockerfile, opts.policy);
    expect(found.length, `expected ${id} to catch:\n${dockerfile}`).toBeGreaterThan(0);
    if (opts.line !== undefined) expect(found.map((f) => f.line)).toContain(opts.line);
  });
}

/** One test case: the rule reports nothing. */
export function passes(id: string, dockerfile: string, opts: { policy?: LintPolicy } = {}): void {
  it(`${id} passes ${JSON.stringify(dockerfile.length > 70 ? `${dockerfile.slice(0, 67)}...` : dockerfile)}`, () => {
    expect(findingsOf(id, dockerfile, opts.policy), `expected ${id} not to catch:\n${dockerfile}`).toEqual(
      [],
    );
  });
}
