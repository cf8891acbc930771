import { expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/lint/config.js';
import type { ContextFiles } from '../../core/lint/copied-files.js';
import { ENGINE_CODES, type Finding, lintText } from '../../core/lint/engine.js';
import type { LintPolicy, Rule } from '../../core/lint/rule.js';
import { RULES } from '../../core/lint/rules/index.js';

/** Options of one rule case: the policy the rule reads and the build-context files COPY/ADD bring in. */
export interface RuleCaseOptions {
  readonly policy?: LintPolicy;
  readonly contextFiles?: ContextFiles;
}

// A RUN the shell parser could not read (DD001) is skipped by every shell rule, and a rule that threw (DD003)
// reported nothing: either way "no finding" would say nothing about the rule.
const BLIND = new Set<string>([ENGINE_CODES.shell.id, ENGINE_CODES.crash.id]);

function ruleOf(rule: string | Rule): Rule {
  if (typeof rule !== 'string') return rule;
  const found = RULES.find((r) => r.id === rule);
  if (!found) throw new Error(`no rule ${rule} in the registry`);
  return found;
}

/** Every finding of a lint with only `rule` run (its own and the engine's), pragmas honoured, nothing configured. */
export function ruleRun(rule: string | Rule, dockerfile: string, opts: RuleCaseOptions = {}): Finding[] {
  return lintText(dockerfile, 'Dockerfile', {
    rules: [ruleOf(rule)],
    policy: opts.policy ?? {},
    config: DEFAULT_CONFIG,
    ...(opts.contextFiles ? { contextFiles: opts.contextFiles } : {}),
  });
}

/** Findings of one rule on a Dockerfile text, with pragmas honoured and nothing else configured. */
export function findingsOf(
  id: string,
  dockerfile: string,
  policy: LintPolicy = {},
  contextFiles?: ContextFiles,
): Finding[] {
  return ruleRun(id, dockerfile, { policy, ...(contextFiles ? { contextFiles } : {}) }).filter(
    (f) => f.code === id,
  );
}

function ownFindings(rule: string | Rule, dockerfile: string, opts: RuleCaseOptions): Finding[] {
  const r = ruleOf(rule);
  const all = ruleRun(r, dockerfile, opts);
  const blind = all.filter((f) => BLIND.has(f.code)).map((f) => `line ${f.line}: ${f.code} ${f.message}`);
  expect(
    blind,
    `${r.id} could not judge this file (${blind.join('; ')}), so its result says nothing:\n${dockerfile}`,
  ).toEqual([]);
  return all.filter((f) => f.code === r.id);
}

/** Asserts that the rule reports at least one finding (on `line`, when given) and that the file was judged. */
export function assertCatches(
  rule: string | Rule,
  dockerfile: string,
  opts: RuleCaseOptions & { line?: number } = {},
): void {
  const id = ruleOf(rule).id;
  const found = ownFindings(rule, dockerfile, opts);
  expect(found.length, `expected ${id} to catch:\n${dockerfile}`).toBeGreaterThan(0);
  if (opts.line !== undefined) expect(found.map((f) => f.line)).toContain(opts.line);
}

/** Asserts that the rule reports nothing and that the file was judged (no DD001 or DD003). */
export function assertPasses(rule: string | Rule, dockerfile: string, opts: RuleCaseOptions = {}): void {
  const id = ruleOf(rule).id;
  expect(ownFindings(rule, dockerfile, opts), `expected ${id} not to catch:\n${dockerfile}`).toEqual([]);
}

const shown = (dockerfile: string): string =>
  JSON.stringify(dockerfile.length > 70 ? `${dockerfile.slice(0, 67)}...` : dockerfile);

/** One test case: the rule reports at least one finding (and on `line`, when given). */
export function catches(
  id: string,
  dockerfile: string,
  opts: RuleCaseOptions & { line?: number } = {},
): void {
  it(`${id} catches ${shown(dockerfile)}`, () => assertCatches(id, dockerfile, opts));
}

/** One test case: the rule reports nothing. */
export function passes(id: string, dockerfile: string, opts: RuleCaseOptions = {}): void {
  it(`${id} passes ${shown(dockerfile)}`, () => assertPasses(id, dockerfile, opts));
}
