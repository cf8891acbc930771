import type { Finding } from '../../core/lint/engine.js';
import type { Level, Rule } from '../../core/lint/rule.js';

const SARIF_LEVEL: Record<Level, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  style: 'note',
};

/** Renders findings as a SARIF 2.1.0 log for code-scanning dashboards. */
export function toSarif(
  findings: readonly Finding[],
  rules: readonly Pick<Rule, 'id' | 'level' | 'title' | 'rationale'>[],
  version: string,
): object {
  const used = [...new Set(findings.map((f) => f.code))].sort();
  const index = new Map(used.map((id, i) => [id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'drydock',
            version,
            informationUri: 'https://github.com/drydock/drydock',
            rules: used.map((id) => {
              const r = rules.find((x) => x.id === id);
              return {
                id,
                shortDescription: { text: r?.title ?? id },
                fullDescription: { text: r?.rationale ?? r?.title ?? id },
                defaultConfiguration: { level: SARIF_LEVEL[r?.level ?? 'warning'] },
              };
            }),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code) ?? 0,
          level: SARIF_LEVEL[f.level],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file === '-' ? 'stdin' : f.file.replace(/\\/g, '/') },
                region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) },
              },
            },
          ],
        })),
      },
    ],
  };
}
