import { createHash } from 'node:crypto';
import { isDefinitionName } from '../../core/dockerfile/definition-names.js';
import { parseDockerfile } from '../../core/dockerfile/parse.js';
import { DrydockError } from '../../core/errors.js';
import { DEFINITION_PUSHED, type DefinitionPushedEvent } from '../../core/events/definition-pushed.js';
import { EVENT_SOURCE } from '../../core/events/envelope.js';
import { ZERO_COMMIT } from '../../core/events/rules.js';
import { teamConfigCandidates } from '../../core/gate/team-config-paths.js';
import { contextText, pickContextFiles } from '../../core/lint/copied-files.js';
import type { Clock } from '../../core/ports/clock.js';
import {
  type ChangedDefinition,
  changedDefinitions,
  type PathChange,
} from '../../core/push/changed-definitions.js';
import { isSafePath } from '../../core/push/repository-paths.js';
import { forEachLimited } from './concurrency.js';
import { type GitProvider, GitProviderError, resolveRepository } from './git-provider.js';
import { contextDirOf, type S3SnapshotStore } from './s3-snapshot-store.js';
import { zipSubtree } from './zip-subtree.js';

/** A push as a webhook or a `drydock submit` call reports it. */
export interface PushReport {
  /** `<host>/<project>`, like `github.com/acme/payments`. */
  readonly repository: string;
  readonly ref: string;
  /** Forty zeros for a new branch. */
  readonly before: string;
  readonly after: string;
  readonly pusher: string;
  /** Definitions to gate, when the caller names them (`drydock submit`); otherwise they come from the diff. */
  readonly definitions?: readonly string[];
}

/** What capturing a push gave: the event to publish, or why there is none. */
export type CaptureOutcome = { readonly event: DefinitionPushedEvent } | { readonly skipped: string };

/** The caller named definitions the commit does not have. */
export class DefinitionsNotFoundError extends DrydockError {
  override readonly name = 'DefinitionsNotFoundError';
  readonly paths: readonly string[];

  constructor(repository: string, commit: string, paths: readonly string[]) {
    super(`${repository}@${commit} has no ${paths.map((p) => JSON.stringify(p)).join(', ')}`, {
      code: 'DEFINITIONS_NOT_FOUND',
    });
    this.paths = paths;
  }
}

/** What capturing needs: the providers, the snapshot bucket and the time. */
export interface PushSnapshotsDeps {
  readonly providers: () => Promise<readonly GitProvider[]>;
  readonly store: S3SnapshotStore;
  readonly clock: Clock;
}

const ZERO = /^0+$/;
const SNAPSHOT_CONCURRENCY = 4;

/**
 * Turns a reported push into `Definition Pushed`: finds the changed definitions (the provider's diff and tree,
 * mapped by `changedDefinitions`, or the caller's list), stores in the snapshot bucket each one's text at the
 * commit (what the gate checks) and its directory as a zipped build context (what CodeBuild builds), then builds
 * the event. Deletions of branches and pushes of tags are skipped with the reason.
 */
export async function capturePush(push: PushReport, deps: PushSnapshotsDeps): Promise<CaptureOutcome> {
  if (!push.ref.startsWith('refs/heads/')) return { skipped: `${push.ref} is not a branch` };
  if (ZERO.test(push.after)) return { skipped: `${push.ref} was deleted` };
  const { provider, project } = resolveRepository(push.repository, await deps.providers());

  let changed: ChangedDefinition[];
  let allFiles: string[] | undefined;
  const texts = new Map<string, string>();
  if (push.definitions) {
    const unsafe = push.definitions.filter((p) => !isSafePath(p));
    if (unsafe.length > 0) {
      throw new DrydockError(`unsafe definition paths: ${unsafe.map((p) => JSON.stringify(p)).join(', ')}`, {
        code: 'PATH_INVALID',
      });
    }
    changed = [...new Set(push.definitions)].sort().map((path) => ({ path, change: 'modified' as const }));
    const missing: string[] = [];
    await forEachLimited(changed, SNAPSHOT_CONCURRENCY, async ({ path }) => {
      const text = await provider.readFile(project, push.after, path);
      if (text === undefined) missing.push(path);
      else texts.set(path, text);
    });
    if (missing.length > 0) throw new DefinitionsNotFoundError(push.repository, push.after, missing.sort());
  } else {
    const files = await provider.listFiles(project, push.after);
    allFiles = files;
    const changes: PathChange[] = ZERO.test(push.before)
      ? files.map((path) => ({ status: 'A', path }))
      : await provider.compare(project, push.before, push.after);
    changed = changedDefinitions(
      files.filter((f) => isDefinitionName(f.slice(f.lastIndexOf('/') + 1))),
      changes,
    );
    await forEachLimited(
      changed.filter((c) => c.change !== 'deleted'),
      SNAPSHOT_CONCURRENCY,
      async ({ path }) => {
        const text = await provider.readFile(project, push.after, path);
        // The tree listed it a moment ago; a commit does not change, so this is the provider's fault.
        if (text === undefined) {
          throw new GitProviderError(`${push.repository}@${push.after} lists ${path} but does not serve it`, {
            retryable: true,
          });
        }
        texts.set(path, text);
      },
    );
  }
  if (changed.length === 0) return { skipped: 'the push changed no container definition' };

  // One archive download per push; each definition's directory becomes its own build context.
  const dirs = [...new Set([...texts.keys()].map(contextDirOf))];
  if (dirs.length > 0) {
    const archive = Buffer.from(await provider.archive(project, push.after));
    await forEachLimited(dirs, SNAPSHOT_CONCURRENCY, (dir) =>
      deps.store.putContext(push.repository, push.after, dir, zipSubtree(archive, dir)).then(() => undefined),
    );
  }
  // The team's .drydock.yaml/.hadolint.yaml on each definition's path, so the gate reads what a laptop reads.
  const listed = new Set(allFiles ?? (await provider.listFiles(project, push.after)));
  const configs = [...new Set([...texts.keys()].flatMap(teamConfigCandidates))].filter((p) => listed.has(p));
  await forEachLimited(configs, SNAPSHOT_CONCURRENCY, async (path) => {
    const text = await provider.readFile(project, push.after, path);
    if (text !== undefined) texts.set(path, text);
  });
  // The files each definition copies into the image that the gate judges by content, read here once, so the gate
  // sees what this commit holds (bounded by CONTEXT_LIMITS, chosen by the same pickContextFiles as locally).
  const definitionTexts = [...texts].filter(([path]) => changed.some((c) => c.path === path));
  await forEachLimited(definitionTexts, SNAPSHOT_CONCURRENCY, async ([path, text]) => {
    const dir = contextDirOf(path);
    const prefix = dir === '' ? '' : `${dir}/`;
    const listing = [...listed].filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
    const files = new Map<string, string>();
    for (const file of pickContextFiles(parseDockerfile(text, path).model, listing)) {
      const content = await provider.readFile(project, push.after, `${prefix}${file}`);
      if (content === undefined) continue;
      const checked = contextText(Buffer.from(content, 'utf8'));
      if (checked !== undefined) files.set(file, checked);
    }
    if (files.size > 0) await deps.store.putContextFiles(push.repository, push.after, path, files);
  });
  await forEachLimited([...texts], SNAPSHOT_CONCURRENCY, ([path, text]) =>
    deps.store.putDefinition(push.repository, push.after, path, text),
  );
  const before = ZERO.test(push.before) ? ZERO_COMMIT : push.before;
  return {
    event: {
      id: `pushed-${createHash('sha256')
        .update([push.repository, push.ref, before, push.after].join('\0'))
        .digest('hex')
        .slice(0, 32)}`,
      source: EVENT_SOURCE,
      detailType: DEFINITION_PUSHED,
      time: deps.clock.now().toISOString(),
      detail: {
        repository: push.repository,
        ref: push.ref,
        before,
        after: push.after,
        pusher: push.pusher,
        definitions: changed,
      },
    },
  };
}
