import type { Command } from 'commander';
import { POLICY_CODES } from '../../core/gate/gate-definition.js';
import { ENGINE_CODES } from '../../core/lint/engine.js';
import { RULES } from '../../core/lint/rules/index.js';
import { type CliIo, EXIT, UsageError } from '../context.js';

/** Every rule, engine code and policy code as `{id, level, title, rationale}`, ordered by id. */
export function ruleList() {
  const codes = [...Object.values(ENGINE_CODES), ...Object.values(POLICY_CODES)];
  return [...codes.map((c) => ({ ...c, rationale: '' })), ...RULES]
    .map(({ id, level, title, rationale }) => ({ id, level, title, rationale }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

export function registerRules(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('rules')
    .description('List every lint rule with its id, default level and title')
    .option('-f, --format <format>', 'text | json', 'text')
    .addHelpText('after', "\nExamples:\n  drydock rules\n  drydock rules --format json | jq -r '.[].id'")
    .action((flags: { format: string }) => {
      const list = ruleList();
      if (flags.format === 'json') io.stdout(`${JSON.stringify(list, null, 2)}\n`);
      else if (flags.format === 'text') {
        for (const r of list) io.stdout(`${r.id.padEnd(7)} ${r.level.padEnd(8)} ${r.title}\n`);
      } else throw new UsageError(`unknown --format "${flags.format}"; use text or json`);
      setExit(EXIT.ok);
    });
}
