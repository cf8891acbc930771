import { BUILD_REQUESTED, type BuildRequestedEvent } from '../events/build-requested.js';
import type { DefinitionPushedEvent } from '../events/definition-pushed.js';
import {
  DEFINITION_VERDICT,
  type DefinitionVerdictEvent,
  verdictDetail,
} from '../events/definition-verdict.js';
import { EVENT_SOURCE } from '../events/envelope.js';
import { stableId } from '../events/ids.js';
import type { LintConfig } from '../lint/config.js';
import type { Policy } from '../policy/schema.js';
import type { Clock } from '../ports/clock.js';
import type { DefinitionSource } from '../ports/definition-source.js';
import { gateDefinition, POLICY_CODES } from './gate-definition.js';
import { teamConfigFor } from './team-config.js';

/** What the push use case needs: where definitions come from, the policy in force, and the time. */
export interface HandlePushDeps {
  readonly source: DefinitionSource;
  readonly policy: () => Promise<Policy>;
  readonly clock: Clock;
  readonly config?: LintConfig;
}

/** The events one push produces: a verdict per changed definition, and a build request per passing one. */
export interface PushOutcome {
  readonly verdicts: readonly DefinitionVerdictEvent[];
  readonly builds: readonly BuildRequestedEvent[];
}

/**
 * Gates every definition a push added or modified (lint + base-image policy, with the team's own
 * `.drydock.yaml`/`.hadolint.yaml` at that commit, as on a laptop) and asks for a build of each one that passed, on the substituted text when the policy replaced a base. Event ids are derived from
 * (repository, commit, definition), so a redelivered push yields the same events and builds nothing twice.
 */
export async function handlePush(push: DefinitionPushedEvent, deps: HandlePushDeps): Promise<PushOutcome> {
  const { repository, after } = push.detail;
  const policy = await deps.policy();
  const now = deps.clock.now();
  const verdicts: DefinitionVerdictEvent[] = [];
  const builds: BuildRequestedEvent[] = [];
  for (const def of push.detail.definitions) {
    if (def.change === 'deleted') continue;
    const text = await deps.source.read(repository, after, def.path);
    const key = [repository, after, def.path];
    if (text === undefined) {
      // Never dropped in silence: the team hears that the gate could not read what it pushed.
      verdicts.push({
        id: stableId('verdict', ...key),
        source: EVENT_SOURCE,
        detailType: DEFINITION_VERDICT,
        time: now.toISOString(),
        detail: {
          repository,
          commit: after,
          definition: def.path,
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
      continue;
    }
    // The repository is the project: per-project exceptions are keyed by it.
    const team = await teamConfigFor(deps.source, repository, after, def.path);
    const config = team.kind === 'found' ? team.config : deps.config;
    const gated = gateDefinition({
      text,
      file: def.path,
      project: repository,
      policy,
      now,
      ...(config ? { config } : {}),
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
      id: stableId('verdict', ...key),
      source: EVENT_SOURCE,
      detailType: DEFINITION_VERDICT,
      time: now.toISOString(),
      detail: verdictDetail(verdict, { repository, commit: after, definition: def.path }),
    });
    if (!verdict.passed) continue;
    const buildId = stableId('build', ...key);
    builds.push({
      id: stableId('build-requested', ...key),
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
        correlationId: push.id,
      },
    });
  }
  return { verdicts, builds };
}

export { stableId };
