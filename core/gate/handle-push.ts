import type { BuilderProfile } from '../dockerfile/builder-profile.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { BUILD_REQUESTED, type BuildRequestedEvent } from '../events/build-requested.js';
import {
  DEFINITION_GATE_REQUESTED,
  type DefinitionGateRequestedEvent,
} from '../events/definition-gate-requested.js';
import type { DefinitionPushedEvent } from '../events/definition-pushed.js';
import {
  DEFINITION_VERDICT,
  type DefinitionVerdictEvent,
  verdictDetail,
} from '../events/definition-verdict.js';
import { EVENT_SOURCE } from '../events/envelope.js';
import { stableId } from '../events/ids.js';
import type { Rebuild } from '../events/rebuild.js';
import { type RebuildName, rebuildIdParts, withRebuild } from '../events/rebuild-ids.js';
import type { LintConfig } from '../lint/config.js';
import { pickContextFiles } from '../lint/copied-files.js';
import type { Policy } from '../policy/schema.js';
import type { Clock } from '../ports/clock.js';
import type { DefinitionSource } from '../ports/definition-source.js';
import { escapeControls, unsafePathReason } from '../push/definition-path.js';
import { gateDefinition, POLICY_CODES } from './gate-definition.js';
import { teamConfigFor } from './team-config.js';

/** What the push use case needs: where definitions come from, the policy in force, and the time. */
export interface HandlePushDeps {
  readonly source: DefinitionSource;
  readonly policy: () => Promise<Policy>;
  readonly clock: Clock;
  readonly config?: LintConfig;
  /** The builder this runtime builds with; the gate refuses syntax it reads differently. @default ALL_BUILDERS */
  readonly builders?: readonly BuilderProfile[];
}

/** The events one push produces: a verdict per changed definition, and a build request per passing one. */
export interface PushOutcome {
  readonly verdicts: readonly DefinitionVerdictEvent[];
  readonly builds: readonly BuildRequestedEvent[];
}

/** Definitions one push may add or modify when the policy does not say (`gate.maxDefinitionsPerPush`). */
export const DEFAULT_MAX_DEFINITIONS_PER_PUSH = 200;

// How many paths the verdict of a push over the cap names, so that it stays one readable message.
const LISTED_PATHS = 5;

/** A push taken apart: a gate request per definition, or one failed verdict for a push over the cap. */
export interface PushSplit {
  /** One per added or modified definition, none for a push over the cap. */
  readonly requests: readonly DefinitionGateRequestedEvent[];
  /** One failed verdict naming the cap and the count when the push is over the cap; otherwise none. */
  readonly verdicts: readonly DefinitionVerdictEvent[];
}

/**
 * The id of the verdict on one definition at one commit; the same for every delivery and every push of it, and
 * its own for each ban's rebuild of it (`rebuild`).
 */
export function verdictIdFor(
  repository: string,
  commit: string,
  definition: string,
  rebuild?: RebuildName,
): string {
  return stableId('verdict', repository, commit, definition, ...rebuildIdParts(rebuild));
}

/**
 * The build id the gate gives one definition at one commit: the push's, or one ban rebuild's (`rebuild`), so that
 * a rebuild is a build of its own and the ban's scheduler can find its rebuild by the build id.
 */
export function buildIdFor(
  repository: string,
  commit: string,
  definition: string,
  rebuild?: RebuildName,
): string {
  return stableId('build', repository, commit, definition, ...rebuildIdParts(rebuild));
}

/**
 * The failed verdict (DD206) on a definition whose path holds a control character, a line break, a bidirectional
 * override or bytes that are not valid UTF-8, or undefined for a path the pipeline passes on. The verdict names
 * the path escaped (in `definition` too, except on a ban's rebuild, whose tracker finds the rebuild by the
 * recorded name), so that no display downstream shows the raw name; its id is the one the definition's verdict
 * would have had.
 */
export function unsafePathVerdict(
  at: { readonly repository: string; readonly commit: string; readonly definition: string },
  change: string,
  time: string,
  rebuild?: Rebuild,
): DefinitionVerdictEvent | undefined {
  const reason = unsafePathReason(at.definition);
  if (reason === undefined) return undefined;
  const shown = escapeControls(at.definition);
  const code = POLICY_CODES.unsafePath;
  return {
    id: verdictIdFor(at.repository, at.commit, at.definition, rebuild),
    source: EVENT_SOURCE,
    detailType: DEFINITION_VERDICT,
    time,
    detail: {
      repository: at.repository,
      commit: at.commit,
      definition: rebuild ? at.definition : shown,
      ...withRebuild(rebuild),
      passed: false,
      findings: [
        {
          file: shown,
          line: 1,
          column: 1,
          code: code.id,
          level: code.level,
          message: `${code.title}: the definition "${shown}" (${change} at ${at.commit.slice(0, 12)}) holds ${reason}, so it was not gated, built or published: such a name forges lines or reorders text on the terminals, logs and messages that show it. Rename it (git mv) to a name without them and push again.`,
        },
      ],
      bases: [],
      unresolved: [],
    },
  };
}

/**
 * Takes a push apart into one `Definition Gate Requested` per added or modified definition, so that each is
 * gated as its own message and queues can interleave other repositories' work. A definition whose path the
 * pipeline does not pass on (see `unsafePathVerdict`) gets a failed verdict instead of a request. A push with
 * more than the policy's `gate.maxDefinitionsPerPush` (default 200) gets one failed verdict (DD205) that says the
 * cap and the count instead, and nothing of it is gated or built. Ids are derived from (repository, commit,
 * definition).
 */
export async function splitPush(
  push: DefinitionPushedEvent,
  deps: Pick<HandlePushDeps, 'policy' | 'clock'>,
): Promise<PushSplit> {
  const { repository, after } = push.detail;
  const time = deps.clock.now().toISOString();
  const changed = push.detail.definitions.flatMap((d) =>
    d.change === 'deleted' ? [] : [{ path: d.path, change: d.change }],
  );
  const cap = (await deps.policy()).gate.maxDefinitionsPerPush ?? DEFAULT_MAX_DEFINITIONS_PER_PUSH;
  if (changed.length > cap) {
    const code = POLICY_CODES.tooManyDefinitions;
    const shown = changed.slice(0, LISTED_PATHS).map((d) => `"${escapeControls(d.path)}"`);
    const more = changed.length > LISTED_PATHS ? `, and ${changed.length - LISTED_PATHS} more` : '';
    const definition = `(push of ${changed.length} definitions)`;
    return {
      requests: [],
      verdicts: [
        {
          id: stableId('push-verdict', repository, after),
          source: EVENT_SOURCE,
          detailType: DEFINITION_VERDICT,
          time,
          detail: {
            repository,
            commit: after,
            definition,
            passed: false,
            findings: [
              {
                file: definition,
                line: 1,
                column: 1,
                code: code.id,
                level: code.level,
                message: `${code.title}: ${after.slice(0, 12)} adds or modifies ${changed.length} definitions and the gate takes at most ${cap} per push, so none of them was gated or built (${shown.join(', ')}${more}). Push them in parts of at most ${cap}, or ask ops to raise gate.maxDefinitionsPerPush in the policy.`,
              },
            ],
            bases: [],
            unresolved: [],
          },
        },
      ],
    };
  }
  const verdicts: DefinitionVerdictEvent[] = [];
  const requests: DefinitionGateRequestedEvent[] = [];
  for (const d of changed) {
    const refused = unsafePathVerdict({ repository, commit: after, definition: d.path }, d.change, time);
    if (refused) {
      verdicts.push(refused);
      continue;
    }
    requests.push({
      id: stableId('gate-requested', repository, after, d.path),
      source: EVENT_SOURCE,
      detailType: DEFINITION_GATE_REQUESTED,
      time,
      detail: { repository, commit: after, definition: d.path, change: d.change, correlationId: push.id },
    });
  }
  return { verdicts, requests };
}

/**
 * Gates every definition a push added or modified in one call (see `splitPush` and `gateRequestedDefinition`);
 * the runtimes gate each definition as its own message instead.
 */
export async function handlePush(push: DefinitionPushedEvent, deps: HandlePushDeps): Promise<PushOutcome> {
  const split = await splitPush(push, deps);
  const verdicts = [...split.verdicts];
  const builds: BuildRequestedEvent[] = [];
  for (const request of split.requests) {
    const out = await gateRequestedDefinition(request, deps);
    verdicts.push(...out.verdicts);
    builds.push(...out.builds);
  }
  return { verdicts, builds };
}

/**
 * Gates one definition of a push (lint + base-image policy, with the team's own `.drydock.yaml`/`.hadolint.yaml`
 * at that commit, as on a laptop) and asks for a build when it passed, on the substituted text when the policy
 * replaced a base. For a ban's rebuild (`rebuild` set) the bases its substitutions name are replaced first (see
 * `rebuildVerdict`), the policy judges the rest, and the verdict and build request carry `rebuild`. Event ids are
 * derived from (repository, commit, definition), and a rebuild's also from its ban id and number, so a
 * redelivered request yields the same events and builds nothing twice, and a rebuild is a build of its own.
 */
export async function gateRequestedDefinition(
  request: DefinitionGateRequestedEvent,
  deps: HandlePushDeps,
): Promise<PushOutcome> {
  const { repository, commit: after, correlationId, rebuild } = request.detail;
  const def = { path: request.detail.definition, change: request.detail.change };
  const policy = await deps.policy();
  const now = deps.clock.now();
  const verdicts: DefinitionVerdictEvent[] = [];
  const builds: BuildRequestedEvent[] = [];
  // A request made before paths were checked at the split (or a ban's rebuild of such a definition) is refused
  // here too, before its name reaches the source, the builder or a log.
  const refused = unsafePathVerdict(
    { repository, commit: after, definition: def.path },
    def.change,
    now.toISOString(),
    rebuild,
  );
  if (refused) return { verdicts: [refused], builds };
  const text = await deps.source.read(repository, after, def.path);
  const key = [repository, after, def.path] as const;
  if (text === undefined) {
    // Never dropped in silence: the team hears that the gate could not read what it pushed.
    verdicts.push({
      id: verdictIdFor(...key, rebuild),
      source: EVENT_SOURCE,
      detailType: DEFINITION_VERDICT,
      time: now.toISOString(),
      detail: {
        repository,
        commit: after,
        definition: def.path,
        ...withRebuild(rebuild),
        passed: false,
        findings: [
          {
            file: def.path,
            line: 1,
            column: 1,
            code: POLICY_CODES.unreadable.id,
            level: POLICY_CODES.unreadable.level,
            message: `${POLICY_CODES.unreadable.title}: the push lists ${JSON.stringify(def.path)} as ${def.change}, but ${after.slice(0, 12)} does not serve it under that name (a path that is not valid UTF-8?)`,
          },
        ],
        bases: [],
        unresolved: [],
      },
    });
    return { verdicts, builds };
  }
  // The repository is the project: per-project exceptions are keyed by it.
  const team = await teamConfigFor(deps.source, repository, after, def.path);
  const config = team.kind === 'found' ? team.config : deps.config;
  // Files the definition copies into the image are judged by content too (an sshd_config, a .repo file).
  const parsed = parseDockerfile(text, def.path);
  const contextFiles = deps.source.contextFiles
    ? await deps.source.contextFiles(repository, after, def.path, (listing) =>
        pickContextFiles(parsed.model, listing),
      )
    : undefined;
  const gated = gateDefinition({
    text,
    parsed,
    ...(contextFiles ? { contextFiles } : {}),
    file: def.path,
    project: repository,
    policy,
    now,
    ...(config ? { config } : {}),
    ...(deps.builders ? { builders: deps.builders } : {}),
    ...(rebuild ? { rebuild } : {}),
  });
  const verdict =
    team.kind === 'invalid'
      ? {
          ...gated,
          passed: false,
          findings: [
            {
              file: def.path,
              line: 1,
              column: 1,
              code: POLICY_CODES.teamConfig.id,
              level: POLICY_CODES.teamConfig.level,
              message: `${POLICY_CODES.teamConfig.title}: ${team.reason} (the gate ran with the defaults and does not pass until it is fixed)`,
            },
            ...gated.findings,
          ],
        }
      : gated;
  verdicts.push({
    id: verdictIdFor(...key, rebuild),
    source: EVENT_SOURCE,
    detailType: DEFINITION_VERDICT,
    time: now.toISOString(),
    detail: {
      ...verdictDetail(verdict, { repository, commit: after, definition: def.path }),
      ...withRebuild(rebuild),
    },
  });
  if (!verdict.passed) return { verdicts, builds };
  const buildId = buildIdFor(...key, rebuild);
  builds.push({
    id: stableId('build-requested', ...key, ...rebuildIdParts(rebuild)),
    source: EVENT_SOURCE,
    detailType: BUILD_REQUESTED,
    time: now.toISOString(),
    detail: {
      buildId,
      repository,
      commit: after,
      definition: def.path,
      dockerfile: verdict.substituted ?? text,
      substitutions: verdict.bases.flatMap((b) =>
        b.outcome === 'substituted' ? [{ from: b.from, to: b.to, rule: b.rule }] : [],
      ),
      correlationId,
      ...withRebuild(rebuild),
    },
  });
  return { verdicts, builds };
}

export { stableId };
