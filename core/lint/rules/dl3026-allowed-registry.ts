import { unquote } from '../../dockerfile/command-args.js';
import type { Instruction } from '../../dockerfile/model.js';
import { defineRule, type RuleFinding } from '../rule.js';

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

// The registry host of an image reference, as Docker reads it: the first path component when it
// looks like a host (has a dot or port, or is localhost), else Docker Hub.
function registryOf(image: string): string {
  const [first, ...rest] = image.split('/');
  const host = rest.length > 0 && first && /[.:]|^localhost$/.test(first) ? first.toLowerCase() : 'docker.io';
  return DOCKER_HUB.has(host) ? 'docker.io' : host;
}

function allowed(registry: string, trusted: readonly string[]): boolean {
  return trusted.some((t) => {
    const entry = t.toLowerCase();
    if (entry === '*') return true;
    if (entry.startsWith('*.')) return registry.endsWith(entry.slice(1));
    return (DOCKER_HUB.has(entry) ? 'docker.io' : entry) === registry;
  });
}

export const allowedRegistry = defineRule({
  id: 'DL3026',
  level: 'error',
  title: 'Use only an allowed registry in the `FROM image`',
  rationale:
    'Images from registries outside the trusted list bypass the organisation’s scanning and provenance controls; with no `trustedRegistries` configured the rule stays silent.',
  check: (ctx) => {
    const trusted = ctx.policy.trustedRegistries ?? [];
    if (trusted.length === 0) return [];
    const defaults = new Map(ctx.model.globalArgs.map((a) => [a.name, a.value ?? '']));
    // A global ARG default stands in for its variable; anything still unresolved is unknown until build time.
    const resolve = (ref: string): string =>
      unquote(ref).replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a, b) => defaults.get(a ?? b) ?? m);
    const findings: RuleFinding[] = [];
    const judge = (at: Instruction, ref: string, how: string): void => {
      const image = resolve(ref);
      if (image === '' || image.includes('$') || image.toLowerCase() === 'scratch') return;
      // Stage names and stage numbers refer to this build, not to a registry.
      if (/^\d+$/.test(image) || ctx.stageNamesBefore(at).includes(image.toLowerCase())) return;
      const registry = registryOf(image);
      if (allowed(registry, trusted)) return;
      findings.push(
        ctx.finding(
          at,
          `Use only an allowed registry in the \`FROM image\`: ${how} \`${image}\` comes from \`${registry}\`, which is not in trustedRegistries (${trusted.join(', ')})`,
        ),
      );
    };
    for (const inst of ctx.instructions) {
      // ONBUILD triggers are judged when the downstream image is built, against its own policy.
      if (inst.onbuild) continue;
      if (inst.keyword === 'FROM') judge(inst, ctx.stages.find((s) => s.from === inst)?.image ?? '', 'FROM');
      for (const flag of inst.flags) {
        const name = flag.name.toLowerCase();
        if (inst.keyword === 'COPY' && name === 'from' && flag.value) judge(inst, flag.value, 'COPY --from');
        if (inst.keyword === 'RUN' && name === 'mount' && flag.value) {
          const from = flag.value
            .split(',')
            .map((kv) => kv.split('='))
            .find(([k]) => k?.trim().toLowerCase() === 'from')?.[1];
          if (from) judge(inst, from, 'RUN --mount from');
        }
      }
    }
    return findings;
  },
});
