import type { Instruction } from '../../dockerfile/model.js';
import { toolRuns } from '../package-managers.js';
import { defineRule } from '../rule.js';

export const wgetAndCurl = defineRule({
  id: 'DL4001',
  level: 'warning',
  title: 'Either use Wget or Curl but not both',
  rationale:
    'Two download tools doing one job means two packages to install, patch and scan, and two sets of TLS, proxy and retry behaviour to get right; pick one per stage.',
  check: (ctx) => {
    // Per stage: where each tool is first used; every RUN using either one once both are in use is reported.
    const first = new Map<string, Instruction>();
    const flagged = new Set<Instruction>();
    const out = [];
    for (const run of toolRuns(ctx, (t) => t === 'wget' || t === 'curl')) {
      const inst = run.instruction;
      const key = `${inst.stage}:${run.tool}`;
      if (!first.has(key)) first.set(key, inst);
      const other = first.get(`${inst.stage}:${run.tool === 'wget' ? 'curl' : 'wget'}`);
      if (!other || flagged.has(inst)) continue;
      flagged.add(inst);
      const where = other === inst ? 'in the same RUN' : `on line ${other.loc.line}`;
      out.push(
        ctx.finding(
          run.command,
          `\`${run.tool}\` is used while this stage also uses \`${run.tool === 'wget' ? 'curl' : 'wget'}\` ${where}; use one download tool per stage`,
        ),
      );
    }
    return out;
  },
});
