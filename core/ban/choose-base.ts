import type { BaseImage } from '../events/envelope.js';
import { formatImageRef } from '../image-ref/format-image-ref.js';
import { parseImageRef } from '../image-ref/parse-image-ref.js';
import { evaluateImage } from '../policy/evaluate-image.js';
import { findSubstitution } from '../policy/rule-lookup.js';
import type { Policy } from '../policy/schema.js';
import { tagVersion } from '../policy/tag-version.js';
import type { ImageUse } from '../policy/verdict.js';
import { baseImageRef } from './affected-set.js';

/** What choosing a base needs: the ban, the policy with the ban in force, and the tags of a registry repository. */
export interface ChooseBaseContext {
  /** `ban <id or ref>`, the start of every substitution's rule. */
  readonly label: string;
  /** The ban's replacement, normalised and already checked against the policy. */
  readonly replacement?: string;
  /** The policy as it is once the ban is in force (its entry without replacement), so a candidate it covers is refused. */
  readonly policy: Policy;
  readonly now: Date;
  /** The tags of a registry repository (`docker.io/library/busybox`), for the newest allowed tag rule. */
  readonly tags: (repositoryName: string) => Promise<readonly string[]>;
}

/** The base a rebuild builds on instead of a banned one, or why there is none. */
export type ChosenBase =
  | { readonly ok: true; readonly to: string; readonly rule: string }
  | { readonly ok: false; readonly reason: string };

const use = (text: string): ImageUse => ({ text, kind: 'from', line: 0, column: 0, start: -1, end: -1 });

/** True when the policy with the ban in force admits the image as a base of the project (whitelist or exception). */
export function allowedBase(text: string, policy: Policy, project: string, now: Date): boolean {
  return evaluateImage(use(text), policy, { project, now }).outcome === 'allowed';
}

/** Parts of a tag that name a version line: its major and the variant after the version (`1.36.1-musl` → 1, `musl`). */
function versionLine(tag: string): { major: string; variant: string; version: string } | undefined {
  const version = tagVersion(tag);
  if (version === undefined) return undefined;
  const variant = /^v?\d+(?:\.\d+)?(?:\.\d+)?(?:[-_](.*))?$/.exec(tag)?.[1] ?? '';
  return { major: version.split('.')[0] as string, variant, version };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] as number) - (pb[i] as number);
  return 0;
}

/**
 * Chooses what a rebuild of `project` builds on instead of the banned `base`: the ban's replacement; else the
 * policy's substitution rule for the base when the policy (ban in force) allows its target; else the newest tag
 * of the same repository in the same major line and variant that the policy allows for the project and the ban
 * does not cover. None of these → a reason, and the definition is reported instead of rebuilt.
 */
export async function chooseBase(
  base: BaseImage,
  project: string,
  ctx: ChooseBaseContext,
): Promise<ChosenBase> {
  if (ctx.replacement !== undefined) {
    return { ok: true, to: ctx.replacement, rule: `${ctx.label}: its replacement ${ctx.replacement}` };
  }
  const ref = baseImageRef(base);
  if (!ref) return { ok: false, reason: `its base ${base.name} does not parse as an image reference` };
  const sub = findSubstitution(ctx.policy, ref);
  if (sub && allowedBase(sub.entry.to, ctx.policy, project, ctx.now)) {
    return {
      ok: true,
      to: sub.entry.to,
      rule: `${ctx.label}: substitutions[${sub.index}] (${sub.entry.reason})`,
    };
  }
  const line = ref.tag === undefined ? undefined : versionLine(ref.tag);
  if (ref.tag === undefined || line === undefined) {
    return {
      ok: false,
      reason: `no replacement, no allowed substitution rule, and the tag of ${base.name} names no version line to pick a newer tag from`,
    };
  }
  const candidates = (await ctx.tags(ref.name))
    .filter((tag) => tag !== ref.tag)
    .map((tag) => ({ tag, line: versionLine(tag) }))
    .filter(
      (c): c is { tag: string; line: NonNullable<ReturnType<typeof versionLine>> } =>
        c.line !== undefined && c.line.major === line.major && c.line.variant === line.variant,
    )
    // Newest version first; among tags of one version (`1.36`, `1.36.0`) the shorter, then by text, for a stable pick.
    .sort(
      (a, b) =>
        compareVersions(b.line.version, a.line.version) ||
        a.tag.length - b.tag.length ||
        a.tag.localeCompare(b.tag),
    );
  for (const c of candidates) {
    // Tags come from a registry: one that does not parse back to exactly this name and tag is never used.
    const parsed = parseImageRef(`${ref.name}:${c.tag}`);
    if (
      !parsed.ok ||
      parsed.ref.name !== ref.name ||
      parsed.ref.tag !== c.tag ||
      parsed.ref.digest !== undefined
    )
      continue;
    const text = formatImageRef(parsed.ref);
    if (allowedBase(text, ctx.policy, project, ctx.now)) {
      const variant = line.variant === '' ? '' : `, variant ${line.variant}`;
      return {
        ok: true,
        to: text,
        rule: `${ctx.label}: newest tag of ${ref.name} in major line ${line.major}${variant} that the policy allows`,
      };
    }
  }
  return {
    ok: false,
    reason: `no replacement, no allowed substitution rule, and no tag of ${ref.name} in major line ${line.major} that the policy allows for ${project}`,
  };
}
