import type { Command } from 'commander';
import { externalImages } from '../../core/dockerfile/image-uses.js';
import { parseDockerfile } from '../../core/dockerfile/parse.js';
import { PolicyValidationError } from '../../core/errors.js';
import { evaluateImage } from '../../core/policy/evaluate-image.js';
import type { Policy } from '../../core/policy/schema.js';
import { whitelistUsage } from '../../core/policy/whitelist-usage.js';
import { type CliIo, EXIT, UsageError } from '../context.js';
import { collectInputs } from '../io/inputs.js';
import { loadPolicy, policyPath } from '../io/policy-file.js';
import { warnUnknownIds } from './lint.js';

function summary(p: Policy) {
  return {
    allowed: p.allowed.length,
    exceptions: p.exceptions.length,
    banned: p.banned.length,
    substitutions: p.substitutions.length,
    insecurePackages: p.insecurePackages.length,
    bandAids: p.bandAids.length,
  };
}

/** Validates policy documents; exit 1 when one is invalid, 2 when one cannot be read. */
export function runValidate(files: readonly string[], flags: { format?: string }, io: CliIo): number {
  const json = flags.format === 'json';
  const results: { file: string; valid: boolean; issues?: unknown[]; error?: string; summary?: unknown }[] =
    [];
  let code: number = EXIT.ok;
  for (const file of files) {
    try {
      const p = loadPolicy(file);
      warnUnknownIds(io, `${file} gate.enforce`, p.gate.enforce);
      results.push({ file, valid: true, summary: summary(p) });
      if (!json) {
        const s = summary(p);
        io.stdout(
          `${file}: valid (${s.allowed} allowed, ${s.exceptions} exceptions, ${s.banned} banned, ${s.substitutions} substitutions, ${s.insecurePackages} insecure packages, ${s.bandAids} band-aids)\n`,
        );
      }
    } catch (err) {
      if (err instanceof PolicyValidationError) {
        code = Math.max(code, EXIT.findings);
        results.push({ file, valid: false, issues: [...err.issues] });
        if (!json) io.stdout(`${err.message}\n`);
      } else if (err instanceof UsageError) {
        code = EXIT.usage;
        results.push({ file, valid: false, error: err.message });
        io.stderr(`drydock: ${err.message}\n`);
      } else {
        throw err;
      }
    }
  }
  if (json) io.stdout(`${JSON.stringify(results, null, 2)}\n`);
  return code;
}

/** Counts, per whitelist entry, how many definitions use it, so ops can keep the whitelist small. */
export function runUsage(
  paths: readonly string[],
  flags: { policy?: string; project?: string; format?: string },
  io: CliIo,
): number {
  const source = policyPath(flags.policy, io.env);
  const policy = loadPolicy(source);
  const project = flags.project ?? io.env.DRYDOCK_PROJECT ?? '';
  const now = io.now();
  const users = policy.allowed.map(() => new Set<string>());
  const notAllowed = new Map<string, Set<string>>();
  let errors = 0;
  let definitions = 0;
  for (const input of collectInputs(paths.length > 0 ? paths : ['.'], io.readStdin, io.cwd)) {
    if ('error' in input) {
      io.stderr(`drydock: ${input.error}\n`);
      errors++;
      continue;
    }
    definitions++;
    const { images } = externalImages(parseDockerfile(input.text, input.file).model);
    const verdicts = images.map((use) => evaluateImage(use, policy, { project, now }));
    whitelistUsage(policy, verdicts).forEach((u, i) => {
      if (u.uses > 0) users[i]?.add(input.file);
    });
    for (const v of verdicts) {
      if (v.outcome === 'denied' || (v.outcome === 'allowed' && v.via === 'exception')) {
        const set = notAllowed.get(v.ref) ?? new Set<string>();
        set.add(input.file);
        notAllowed.set(v.ref, set);
      }
    }
  }
  const entries = policy.allowed.map((entry, i) => ({
    path: `allowed[${i}]`,
    image: entry.image,
    ...(entry.tags ? { tags: entry.tags } : {}),
    ...(entry.versions ? { versions: entry.versions } : {}),
    ...(entry.digests ? { digests: entry.digests } : {}),
    definitions: users[i]?.size ?? 0,
    files: [...(users[i] ?? [])].sort(),
  }));
  const outside = [...notAllowed]
    .map(([ref, files]) => ({ ref, definitions: files.size, files: [...files].sort() }))
    .sort((a, b) => b.definitions - a.definitions || a.ref.localeCompare(b.ref));
  if (flags.format === 'json') {
    io.stdout(
      `${JSON.stringify({ policy: source, definitions, entries, notWhitelisted: outside }, null, 2)}\n`,
    );
  } else {
    io.stdout(`Whitelist usage over ${definitions} definition(s) (policy ${source}):\n`);
    for (const e of entries) {
      const what = [
        e.image,
        e.tags?.join(','),
        e.versions,
        e.digests ? `${e.digests.length} digest(s)` : undefined,
      ]
        .filter(Boolean)
        .join(' ');
      const note = e.definitions === 0 ? '  <- unused: a candidate to remove' : '';
      io.stdout(`  ${String(e.definitions).padStart(4)}  ${e.path.padEnd(12)} ${what}${note}\n`);
    }
    if (outside.length > 0) {
      io.stdout('Images used but not on the whitelist (denied, or allowed only by an exception):\n');
      for (const o of outside) io.stdout(`  ${String(o.definitions).padStart(4)}  ${o.ref}\n`);
    }
  }
  return errors > 0 ? EXIT.usage : EXIT.ok;
}

export function registerPolicy(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const policy = program.command('policy').description('Work with base-image policy documents');
  policy
    .command('validate')
    .description('Check policy documents against the schema and its semantic rules')
    .argument('<files...>', 'policy documents (YAML or JSON)')
    .option('-f, --format <format>', 'text | json', 'text')
    .addHelpText(
      'after',
      '\nExamples:\n  drydock policy validate policy.yaml\n  drydock policy validate policy.yaml --format json\n\nExit codes: 0 valid, 1 a document is invalid (every problem is listed with its field path and line), 2 unreadable.',
    )
    .action((files: string[], flags: { format?: string }) => setExit(runValidate(files, flags, io)));
  policy
    .command('usage')
    .description(
      'Show how many definitions use each whitelist entry, so the whitelist stays as small as possible',
    )
    .argument('[paths...]', 'Dockerfiles or directories to search for them', [])
    .option('-p, --policy <file>', 'policy document (default: $DRYDOCK_POLICY)')
    .option('-P, --project <name>', 'project, for exceptions (default: $DRYDOCK_PROJECT)')
    .option('-f, --format <format>', 'text | json', 'text')
    .addHelpText(
      'after',
      "\nExamples:\n  drydock policy usage repos/ --policy policy.yaml\n  drydock policy usage . -p policy.yaml --format json | jq '.entries[] | select(.definitions == 0)'",
    )
    .action((paths: string[], flags: { policy?: string; project?: string; format?: string }) =>
      setExit(runUsage(paths, flags, io)),
    );
}
