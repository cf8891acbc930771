import { defineRule } from '../rule.js';
import { stageLineage } from '../stage-lineage.js';

export const noHealthcheck = defineRule({
  id: 'DD119',
  level: 'info',
  title: 'Final image defines no HEALTHCHECK',
  rationale:
    'Without a HEALTHCHECK the runtime only knows that the process is alive, not that it serves, so a hung service keeps receiving traffic and is never restarted. Mirrors Trivy DS026 and Checkov CKV_DOCKER_2, for the final stage only: a HEALTHCHECK of a stage it is built FROM counts (it is inherited), and `HEALTHCHECK NONE` counts as a decision; a final stage FROM scratch is reported too (a static binary can check itself), while one FROM an outside image is reported because the gate cannot see whether that image defines one.',
  check: (ctx) => {
    const last = ctx.stages.at(-1);
    if (!last) return [];
    // ONBUILD HEALTHCHECK applies to images built from this one, not to this image.
    const defined = stageLineage(ctx.stages, last.index).some((s) =>
      ctx.stages[s]?.instructions.some((i) => i.keyword === 'HEALTHCHECK' && !i.onbuild),
    );
    if (defined) return [];
    return [
      ctx.finding(
        last.from,
        'No HEALTHCHECK in the final image: add `HEALTHCHECK CMD …` that probes the service (or `HEALTHCHECK NONE` to say none is wanted)',
      ),
    ];
  },
});
