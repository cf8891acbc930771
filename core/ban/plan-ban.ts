import type { BandAidUse } from '../events/base-image-banned.js';
import type { RebuildSubstitution } from '../events/rebuild.js';
import { formatImageRef } from '../image-ref/format-image-ref.js';
import type { ImageRef, ParseResult } from '../image-ref/image-ref.js';
import { parseImageRef } from '../image-ref/parse-image-ref.js';
import { resolveBandAid } from '../policy/band-aids.js';
import { compiledPattern, type ImagePattern, patternMatches } from '../policy/image-pattern.js';
import type { Policy } from '../policy/schema.js';
import { definitionKey, type PlannedRebuild } from '../ports/ban-store.js';
import type { Fleet, RunningContainer } from '../ports/fleet.js';
import type { DescendantImage, ImageRecord, LineageStore } from '../ports/lineage-store.js';
import { banCoversBase, bannedRoots } from './affected-set.js';
import type { AffectedImage, BanPlan, PlannedBandAid, SkippedDefinition } from './ban-plan.js';
import { parseBanRef } from './ban-ref.js';
import { batchByHosts, containersByHost } from './band-aid-batches.js';
import { allowedBase, type ChooseBaseContext, chooseBase } from './choose-base.js';
import { orderRebuilds } from './rebuild-order.js';

/** The ban to plan, as ops asked for it. */
export interface PlanBanRequest {
  /** A tag, a digest or a name glob; normalised here like the policy's `banned[].image`. */
  readonly ref: string;
  readonly reason: string;
  readonly replacement?: string;
  readonly bandAids: readonly BandAidUse[];
  /** Known once the ban is recorded; names the ban in each substitution's rule (else its ref does). */
  readonly banId?: string;
}

/** What `planBan` plans: the ban, and the policy it is judged under (with or without the ban in it). */
export interface PlanBanInput {
  readonly ban: PlanBanRequest;
  readonly policy: Policy;
  /** For the policy's exception expiry dates; the current time unless given. */
  readonly now?: Date;
}

/** What `planBan` reads: lineage, the running containers, and the tags of a registry repository. */
export interface PlanBanPorts {
  readonly lineage: LineageStore;
  readonly fleet: Pick<Fleet, 'running'>;
  /** Tags of a registry repository by its fully qualified name (`docker.io/library/busybox`). */
  readonly tags: (repositoryName: string) => Promise<readonly string[]>;
}

/** The plan, or why the ban as asked cannot be planned (nothing happens). */
export type BanPlanResult =
  | { readonly ok: true; readonly plan: BanPlan }
  | { readonly ok: false; readonly error: string };

// The project no exception names, so a replacement must be allowed for every team, not through one's exception.
const NO_PROJECT = '';

/** The policy as it stands with exactly this ban in force (without its replacement, so a covered target is refused). */
function withBan(policy: Policy, ref: string, reason: string): Policy {
  return { ...policy, banned: [...policy.banned.filter((b) => b.image !== ref), { image: ref, reason }] };
}

function withoutBan(policy: Policy, ref: string): Policy {
  return { ...policy, banned: policy.banned.filter((b) => b.image !== ref) };
}

function checkReplacement(
  text: string,
  pattern: ImagePattern,
  policy: Policy,
  now: Date,
): { ok: true; replacement: string } | { ok: false; error: string } {
  const parsed = parseImageRef(text);
  if (!parsed.ok) return { ok: false, error: `replacement: ${parsed.error}` };
  const replacement = formatImageRef(parsed.ref);
  if (patternMatches(pattern, parsed.ref)) {
    return { ok: false, error: `replacement ${replacement} is covered by the ban itself` };
  }
  if (!allowedBase(replacement, policy, NO_PROJECT, now)) {
    return {
      ok: false,
      error: `replacement ${replacement} is not allowed as a base by the policy (whitelist, bans, substitutions); allow it first`,
    };
  }
  return { ok: true, replacement };
}

function resolveBandAids(
  policy: Policy,
  uses: readonly BandAidUse[],
):
  | { ok: true; resolved: (Omit<PlannedBandAid, 'batches'> & { appliesTo: ImagePattern[] })[] }
  | { ok: false; error: string } {
  const seen = new Set<string>();
  const resolved = [];
  for (const use of uses) {
    if (seen.has(use.id))
      return { ok: false, error: `band-aid ${use.id} is named twice; name each band-aid once` };
    seen.add(use.id);
    const r = resolveBandAid(policy, use.id, use.params);
    if (!r.ok) return { ok: false, error: r.error };
    resolved.push({
      bandAidId: use.id,
      params: { ...use.params },
      argv: r.argv,
      timeoutMs: r.timeoutMs,
      maxConcurrency: r.maxConcurrency,
      maxErrors: r.maxErrors,
      appliesTo: r.bandAid.appliesTo.map(compiledPattern),
    });
  }
  return { ok: true, resolved };
}

/** The references a container runs: as it was started (with its digest when known), and its affected image's. */
function containerRefs(
  container: RunningContainer,
  image: ImageRecord,
  parse: (text: string) => ParseResult,
): ImageRef[] {
  const refs: ImageRef[] = [];
  const started = parse(container.image);
  if (started.ok) {
    refs.push(
      started.ref.digest === undefined && container.imageDigest !== undefined
        ? { ...started.ref, digest: container.imageDigest }
        : started.ref,
    );
  }
  const recorded = parse(image.ref);
  if (recorded.ok) refs.push({ ...recorded.ref, digest: image.digest });
  return refs;
}

/**
 * Plans a ban before anything happens: the affected images (every image built on a recorded base the ban
 * covers, transitively), one rebuild per affected definition at the commit of its newest image with the base
 * to build on (bases first, definitions with more running containers first), the running containers per
 * host, and each band-aid's targets in batches of at most 50 hosts. A ref that does not parse, a replacement
 * the policy does not allow, an unknown band-aid or a bad parameter is an error and no plan.
 */
export async function planBan(input: PlanBanInput, ports: PlanBanPorts): Promise<BanPlanResult> {
  const { ban } = input;
  const now = input.now ?? new Date();
  const parsed = parseBanRef(ban.ref);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const { ref, pattern } = parsed;
  const base = withoutBan(input.policy, ref);
  let replacement: string | undefined;
  if (ban.replacement !== undefined) {
    const checked = checkReplacement(ban.replacement, pattern, base, now);
    if (!checked.ok) return checked;
    replacement = checked.replacement;
  }
  const bandAids = resolveBandAids(input.policy, ban.bandAids);
  if (!bandAids.ok) return bandAids;

  const roots = bannedRoots(pattern, await ports.lineage.baseReferences());
  const descendants: DescendantImage[] =
    roots.length === 0 ? [] : await ports.lineage.imagesBuiltOnAny(roots);
  const affected: AffectedImage[] = descendants.map(({ image, depth }) => ({
    digest: image.digest,
    configDigest: image.configDigest,
    ref: image.ref,
    repository: image.repository,
    definition: image.definition,
    depth,
    commit: image.commit,
    publishedAt: image.publishedAt,
  }));
  const affectedByDigest = new Map(descendants.map((d) => [d.image.digest, d]));

  // Running containers of affected images, matched by manifest digest when known, else by config digest.
  const byConfig = new Map(descendants.map((d) => [d.image.configDigest, d.image]));
  const running: { container: RunningContainer; image: ImageRecord }[] = [];
  for (const container of await ports.fleet.running()) {
    const image =
      (container.imageDigest === undefined
        ? undefined
        : affectedByDigest.get(container.imageDigest)?.image) ?? byConfig.get(container.configDigest);
    if (image) running.push({ container, image });
  }
  const runningPerDefinition = new Map<string, number>();
  for (const { image } of running) {
    const key = definitionKey(image.repository, image.definition);
    runningPerDefinition.set(key, (runningPerDefinition.get(key) ?? 0) + 1);
  }

  // Each affected definition's newest image: rebuilt when it is affected, else the definition moved on.
  const definitions = new Map<string, { repository: string; definition: string }>();
  for (const d of descendants) {
    const key = definitionKey(d.image.repository, d.image.definition);
    if (!definitions.has(key))
      definitions.set(key, { repository: d.image.repository, definition: d.image.definition });
  }
  const newest = new Map<string, DescendantImage>();
  const skipped: SkippedDefinition[] = [];
  for (const [key, { repository, definition }] of [...definitions].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const image = await ports.lineage.newestOf(repository, definition);
    const hit = image && affectedByDigest.get(image.digest);
    if (hit) newest.set(key, hit);
    else {
      const why = image
        ? `its newest image ${image.ref} is not built on ${ref}; it has moved on already`
        : 'it has no published image';
      skipped.push({ repository, definition, reason: why });
    }
  }

  const label = `ban ${ban.banId ?? ref}`;
  const choose: ChooseBaseContext = {
    label,
    ...(replacement === undefined ? {} : { replacement }),
    policy: withBan(input.policy, ref, ban.reason),
    now,
    tags: cachedTags(ports.tags),
  };
  const unordered: PlannedRebuild[] = [];
  for (const [key, { image, depth }] of newest) {
    const waitsFor = new Set<string>();
    const substitutions: RebuildSubstitution[] = [];
    const reasons: string[] = [];
    for (const b of image.bases) {
      const parent = affectedByDigest.get(b.digest)?.image;
      if (parent) {
        const parentKey = definitionKey(parent.repository, parent.definition);
        if (parentKey === key) reasons.push(`its base ${b.name} is an image of the same definition`);
        else if (newest.has(parentKey)) waitsFor.add(parentKey);
        else reasons.push(`its base ${b.name} (${parent.repository} ${parent.definition}) is not rebuilt`);
      } else if (banCoversBase(pattern, b)) {
        const chosen = await chooseBase(b, image.repository, choose);
        if (chosen.ok) {
          if (!substitutions.some((s) => s.from === b.name))
            substitutions.push({ from: b.name, to: chosen.to, rule: chosen.rule });
        } else reasons.push(`${b.name}: ${chosen.reason}`);
      }
    }
    unordered.push({
      repository: image.repository,
      definition: image.definition,
      commit: image.commit,
      of: image.digest,
      ofRef: image.ref,
      depth,
      waitsFor: [...waitsFor].sort(),
      substitutions,
      runningContainers: runningPerDefinition.get(key) ?? 0,
      ...(reasons.length === 0 ? {} : { reportReason: reasons.join('; ') }),
    });
  }
  const rebuilds = reportOrphans(orderRebuilds(unordered));

  const containers = containersByHost(running.map((r) => r.container));
  // Thousands of containers run a few hundred images: each reference is parsed once.
  const parsedRefs = new Map<string, ParseResult>();
  const parse = (text: string) => {
    let hit = parsedRefs.get(text);
    if (!hit) {
      hit = parseImageRef(text);
      parsedRefs.set(text, hit);
    }
    return hit;
  };
  const planned: PlannedBandAid[] = bandAids.resolved.map(({ appliesTo, ...bandAid }) => {
    // Containers of one image started by one reference share the answer: each combination is matched once.
    const answers = new Map<string, boolean>();
    const applies = ({ container, image }: { container: RunningContainer; image: ImageRecord }) => {
      const key = `${container.image}\n${container.imageDigest ?? ''}\n${image.digest}`;
      let hit = answers.get(key);
      if (hit === undefined) {
        hit = containerRefs(container, image, parse).some((r) => appliesTo.some((p) => patternMatches(p, r)));
        answers.set(key, hit);
      }
      return hit;
    };
    return { ...bandAid, batches: batchByHosts(running.filter(applies).map((r) => r.container)) };
  });

  return {
    ok: true,
    plan: {
      ref,
      reason: ban.reason,
      ...(replacement === undefined ? {} : { replacement }),
      affected,
      rebuilds,
      skipped,
      teams: [...new Set(affected.map((a) => a.repository))].sort(),
      containers,
      bandAids: planned,
    },
  };
}

/** A child of a reported rebuild is reported too: it would wait forever for a base that is never republished. */
function reportOrphans(ordered: readonly PlannedRebuild[]): PlannedRebuild[] {
  const reported = new Set<string>();
  return ordered.map((r) => {
    const stuck = r.waitsFor.filter((k) => reported.has(k));
    const out =
      stuck.length === 0 || r.reportReason !== undefined
        ? r
        : {
            ...r,
            reportReason: `a base it waits for is not rebuilt (${stuck.map((k) => k.replace('\u0000', ' ')).join(', ')})`,
          };
    if (out.reportReason !== undefined) reported.add(definitionKey(r.repository, r.definition));
    return out;
  });
}

function cachedTags(tags: PlanBanPorts['tags']): PlanBanPorts['tags'] {
  const cache = new Map<string, Promise<readonly string[]>>();
  return (name) => {
    let hit = cache.get(name);
    if (!hit) {
      hit = tags(name);
      cache.set(name, hit);
    }
    return hit;
  };
}
