import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEVELS } from '../../../core/lint/rule.js';
import { RULES } from '../../../core/lint/rules/index.js';
import { renderRuleDocs } from '../../../scripts/gen-rule-docs.js';
import { renderRuleIndex } from '../../../scripts/gen-rule-index.js';

const rulesDir = join(import.meta.dirname, '../../../core/lint/rules');
const testsDir = join(import.meta.dirname, 'rules');
const ruleFiles = readdirSync(rulesDir).filter((f) => f !== 'index.ts');

describe('rule registry', () => {
  it('matches the rule files on disk (run `npm run gen:rules` when this fails)', () => {
    expect(readFileSync(join(rulesDir, 'index.ts'), 'utf8')).toBe(renderRuleIndex());
    expect(RULES).toHaveLength(ruleFiles.length);
  });

  it('has unique ids', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(ruleFiles)('%s: id matches the file name, fields are complete, tests exist', (file) => {
    const prefix = file.split('-')[0]?.toUpperCase();
    const rule = RULES.find((r) => r.id === prefix);
    expect(rule, `no registered rule with id ${prefix}`).toBeDefined();
    expect(LEVELS).toContain(rule?.level);
    expect(rule?.title.length).toBeGreaterThan(5);
    expect(rule?.rationale.length).toBeGreaterThan(20);
    const test = join(testsDir, file.replace(/\.ts$/, '.test.ts'));
    expect(existsSync(test), `missing ${test}`).toBe(true);
    const body = readFileSync(test, 'utf8');
    expect(body, 'needs catching cases').toMatch(/\bcatches\(/);
    expect(body, 'needs non-catching cases').toMatch(/\bpasses\(/);
  });

  it('has docs/rules.md generated from the rules (run `npm run gen:rules` when this fails)', () => {
    expect(readFileSync(join(import.meta.dirname, '../../../docs/rules.md'), 'utf8')).toBe(renderRuleDocs());
  });
});
