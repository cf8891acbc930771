import { type PolicyIssue, quoteInput } from '../errors.js';
import { splitRegistry } from '../image-ref/grammar.js';
import { parseImageRef } from '../image-ref/parse-image-ref.js';
import { findAllowed, findBan, findSubstitution } from './rule-lookup.js';
import type { Policy } from './schema.js';

/**
 * Checks what the schema cannot: every replacement and substitution target is whitelisted, not banned and not
 * substituted again; whitelisted registries are trusted; band-aid ids and ban ids are unique.
 */
export function semanticIssues(policy: Policy): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  policy.banned.forEach((ban, i) => {
    if (ban.replacement === undefined) return;
    const problem = targetProblem(policy, ban.replacement);
    if (problem) issues.push({ path: `banned[${i}].replacement`, message: problem });
  });
  policy.substitutions.forEach((rule, i) => {
    const problem = targetProblem(policy, rule.to);
    if (problem) issues.push({ path: `substitutions[${i}].to`, message: problem });
  });
  const trusted = policy.trustedRegistries;
  if (trusted) {
    policy.allowed.forEach((entry, i) => {
      const registry = splitRegistry(entry.image).registry;
      if (!trusted.includes(registry)) {
        issues.push({
          path: `allowed[${i}].image`,
          message: `registry "${registry}" is not in trustedRegistries, so this entry could never admit an image`,
        });
      }
    });
  }
  const banIds = new Map<string, number>();
  policy.banned.forEach((ban, i) => {
    if (ban.id === undefined) return;
    const earlier = banIds.get(ban.id);
    if (earlier !== undefined) {
      issues.push({
        path: `banned[${i}].id`,
        message: `duplicate ban id ${quoteInput(ban.id)} (also banned[${earlier}])`,
      });
    } else {
      banIds.set(ban.id, i);
    }
  });
  const seen = new Map<string, number>();
  policy.bandAids.forEach((bandAid, i) => {
    const earlier = seen.get(bandAid.id);
    if (earlier !== undefined) {
      issues.push({
        path: `bandAids[${i}].id`,
        message: `duplicate id ${quoteInput(bandAid.id)} (also bandAids[${earlier}])`,
      });
    } else {
      seen.set(bandAid.id, i);
    }
  });
  return issues;
}

function targetProblem(policy: Policy, target: string): string | undefined {
  const parsed = parseImageRef(target);
  if (!parsed.ok) return parsed.error;
  const ref = parsed.ref;
  const ban = findBan(policy, ref);
  if (ban) return `${target} is itself banned by banned[${ban.index}] (${ban.entry.reason})`;
  const rule = findSubstitution(policy, ref);
  if (rule)
    return `${target} would be substituted again by substitutions[${rule.index}]; point at the final image`;
  if (policy.trustedRegistries && !policy.trustedRegistries.includes(ref.registry)) {
    return `${target} is on registry "${ref.registry}", which is not in trustedRegistries`;
  }
  if (!findAllowed(policy, ref))
    return `${target} is not allowed by the whitelist; a target must be an allowed image`;
  return undefined;
}
