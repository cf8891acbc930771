// The step contract: the same scenarios run on the local composition (test/runtime/local/steps-local.test.ts) and
// on the deployed AWS shape (test/lambdas/steps-aws.test.ts). Each scenario feeds events to the steps the Lambdas
// run (gate, lineage, notify) and returns a normalized outcome; both runners compare it with the one expected value
// computed here from the scenario, so a runtime that assembles a port differently fails here, not in production.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stableId } from '../../core/events/ids.js';
import type { DrydockEvent, ImagePublishedEvent } from '../../core/events/index.js';
import { buildIdFor, verdictIdFor } from '../../core/gate/handle-push.js';
import { isTeamConfigPath } from '../../core/gate/team-config-paths.js';
import { parsePolicy } from '../../core/policy/parse-policy.js';
import type { StepFunctionName } from '../../lambdas/shared/deployment.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The policy both runtimes read: locally from its file, on AWS as the SSM parameter's value. */
export const STEPS_POLICY_FILE = join(import.meta.dirname, '../../examples/policy.yaml');
export const STEPS_POLICY = readFileSync(STEPS_POLICY_FILE, 'utf8');
// The ban with a replacement that the substitution scenario's base falls under.
const BUSTER_BAN = (() => {
  const ban = parsePolicy(STEPS_POLICY).banned[0];
  if (!ban?.image.startsWith('docker.io/library/debian:buster'))
    throw new Error('the policy no longer bans buster first');
  return ban;
})();

/** The steps the AWS deployment runs as Lambdas (`STEP_FUNCTIONS`), by name. */
export type LambdaStepName = StepFunctionName;

/** A commit of definition files: what a team pushed. */
export interface Snapshot {
  /** A work tree holding the commit (local runtimes push it to their bare repository). */
  readonly dir: string;
  readonly commit: string;
  readonly files: Readonly<Record<string, string>>;
}

/** An event as a runtime published it, without what is the runtime's own (time, source, EventBridge's fields). */
export interface PublishedOutcome {
  readonly id: string;
  readonly detailType: string;
  readonly detail: unknown;
}

/** A team notification as both runtimes can tell it (SNS subject formatting and outbox columns left out). */
export interface NotificationOutcome {
  readonly kind: string;
  readonly repository: string;
  readonly definition: string;
  readonly summary: string;
}

/** What one runtime offers the scenarios: its definition source, its steps as deployed, its stores read back. */
export interface StepsRuntime {
  /** Makes the snapshot the content of `repository` at its commit, as this runtime's definition source holds it. */
  seed(repository: string, snapshot: Snapshot): Promise<void>;
  /** Delivers one event to the step as this runtime deploys it; returns what the step published, in order. */
  deliver(step: LambdaStepName, event: DrydockEvent): Promise<PublishedOutcome[]>;
  /** Notifications told since the last call, oldest first. */
  notifications(): Promise<NotificationOutcome[]>;
  /** The lineage store read back through the runtime's own adapter. */
  readonly lineage: {
    image(digest: string): Promise<unknown>;
    builtOn(digest: string): Promise<{ digest: string; depth: number }[]>;
    count(): Promise<number>;
  };
}

const REPOSITORY = 'shop';
const PUSHED_AT = '2026-03-14T09:26:53.000Z';
// The same author, committer and dates on every run, so the commit id (and every id derived from it) is the same
// in both runtimes and from run to run.
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
  GIT_AUTHOR_DATE: '2026-03-14T09:26:00Z',
  GIT_COMMITTER_DATE: '2026-03-14T09:26:00Z',
};

/** Commits the files to a new work tree with a fixed identity and date. */
export function snapshotOf(files: Readonly<Record<string, string>>): Snapshot {
  const dir = tempDir('drydock-steps-contract-');
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' }).trim();
  git('init', '--quiet', '--initial-branch=main');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git('add', '.');
  git('commit', '--quiet', '-m', 'definitions');
  return { dir, commit: git('rev-parse', 'HEAD'), files };
}

// Definitions both builders accept (no heredocs, no # syntax= line, nothing copied from the context): the gate
// judges for BuildKit on AWS and for buildah 1.28 locally, and these must not depend on which.
const HEALTHY = 'HEALTHCHECK CMD ["node", "health.js"]\nCMD ["node", "server.js"]\n';
const PASSING = `FROM docker.io/library/node:20.11.1\nUSER 1000\n${HEALTHY}`;
const CURL_SH = `FROM docker.io/library/node:20.11.1\nUSER 1000\nRUN curl -fsSL https://get.example.com/install.sh | sh\n${HEALTHY}`;
// What the team reads for the curl | sh line: the rule's title and advice, with the URL and shell it found.
const DD110_MESSAGE =
  'Remote script piped into a shell: curl https://get.example.com/install.sh output is piped into sh; download it to a file, verify its checksum or signature, then run it';
const DL4006_MESSAGE =
  '`curl | sh` runs under `/bin/sh -c` without pipefail, so a failure before the last command is ignored; use SHELL ["/bin/bash", "-o", "pipefail", "-c"] or start the RUN with `set -o pipefail &&`';
const BANNED_BASE = 'FROM debian:buster\nUSER 1000\nHEALTHCHECK NONE\nCMD ["sleep", "infinity"]\n';

const pushOf = (snapshot: Snapshot, paths: readonly string[]): DrydockEvent => ({
  id: `push-${snapshot.commit.slice(0, 12)}`,
  source: 'drydock',
  detailType: 'Definition Pushed',
  time: PUSHED_AT,
  detail: {
    repository: REPOSITORY,
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: snapshot.commit,
    pusher: 'dev',
    definitions: paths.map((path) => ({ path, change: 'added' as const })),
  },
});

const gateRequestOf = (push: DrydockEvent, definition: string): PublishedOutcome => {
  if (push.detailType !== 'Definition Pushed') throw new Error('not a push');
  const { after } = push.detail;
  return {
    id: stableId('gate-requested', REPOSITORY, after, definition),
    detailType: 'Definition Gate Requested',
    detail: { repository: REPOSITORY, commit: after, definition, change: 'added', correlationId: push.id },
  };
};

const asEvent = (p: PublishedOutcome): DrydockEvent =>
  ({ ...p, source: 'drydock', time: PUSHED_AT }) as DrydockEvent;

/** Pushes the definitions and gates each request the push was split into; returns every event published. */
async function pushAndGate(rt: StepsRuntime, files: Record<string, string>) {
  const snapshot = snapshotOf(files);
  await rt.seed(REPOSITORY, snapshot);
  // A team's configuration files are in the commit, not among the pushed definitions.
  const push = pushOf(
    snapshot,
    Object.keys(files).filter((path) => !isTeamConfigPath(path)),
  );
  const split = await rt.deliver('gate', push);
  const gated: PublishedOutcome[] = [];
  for (const request of split) gated.push(...(await rt.deliver('gate', asEvent(request))));
  return { snapshot, push, split, gated };
}

// Where the gate found the FROM image: line 1, after `FROM `, in the first stage.
const fromUse = (written: string) => ({
  text: written,
  kind: 'from',
  line: 1,
  column: 6,
  start: 5,
  end: 5 + written.length,
  written,
  stage: 0,
});

const nodeAllowed = {
  outcome: 'allowed',
  use: fromUse('docker.io/library/node:20.11.1'),
  ref: 'docker.io/library/node:20.11.1',
  via: 'whitelist',
  entry: 'allowed[3]',
  index: 3,
};

/** Registers the scenarios for one runtime; `open` gives a fresh runtime per scenario. */
export function stepsContract(name: string, open: () => Promise<StepsRuntime>): void {
  describe(`the Lambda-deployed steps on the ${name} composition`, () => {
    it('splits a push of two definitions into two gate requests', async () => {
      const rt = await open();
      const snapshot = snapshotOf({ 'api/Dockerfile': PASSING, 'worker/Dockerfile': PASSING });
      await rt.seed(REPOSITORY, snapshot);
      const push = pushOf(snapshot, ['api/Dockerfile', 'worker/Dockerfile']);
      expect(await rt.deliver('gate', push)).toEqual([
        gateRequestOf(push, 'api/Dockerfile'),
        gateRequestOf(push, 'worker/Dockerfile'),
      ]);
    });

    it('gates a definition that passes into Build Requested, then its verdict', async () => {
      const rt = await open();
      const { snapshot, push, gated } = await pushAndGate(rt, { 'api/Dockerfile': PASSING });
      const { commit } = snapshot;
      expect(gated).toEqual([
        {
          id: stableId('build-requested', REPOSITORY, commit, 'api/Dockerfile'),
          detailType: 'Build Requested',
          detail: {
            buildId: buildIdFor(REPOSITORY, commit, 'api/Dockerfile'),
            repository: REPOSITORY,
            commit,
            definition: 'api/Dockerfile',
            correlationId: push.id,
            dockerfile: PASSING,
            substitutions: [],
          },
        },
        {
          id: verdictIdFor(REPOSITORY, commit, 'api/Dockerfile'),
          detailType: 'Definition Verdict',
          detail: {
            repository: REPOSITORY,
            commit,
            definition: 'api/Dockerfile',
            passed: true,
            findings: [],
            bases: [nodeAllowed],
            unresolved: [],
          },
        },
      ]);
    });

    it('fails a definition that pipes curl into sh with every finding, and tells the team', async () => {
      const rt = await open();
      const { snapshot, gated } = await pushAndGate(rt, { 'api/Dockerfile': CURL_SH });
      const { commit } = snapshot;
      const finding = (code: string, level: string, message: string) => ({
        file: 'api/Dockerfile',
        line: 3,
        column: 5,
        code,
        level,
        message,
      });
      const verdict = {
        id: verdictIdFor(REPOSITORY, commit, 'api/Dockerfile'),
        detailType: 'Definition Verdict',
        detail: {
          repository: REPOSITORY,
          commit,
          definition: 'api/Dockerfile',
          passed: false,
          // DD110 itself, and hadolint's DL4006 (a pipe without `set -o pipefail`) on the same RUN, at its command.
          findings: [finding('DD110', 'error', DD110_MESSAGE), finding('DL4006', 'warning', DL4006_MESSAGE)],
          bases: [nodeAllowed],
          unresolved: [],
        },
      };
      expect(gated).toEqual([verdict]);
      expect(await rt.deliver('notify', asEvent(gated[0]!))).toEqual([]);
      const told = await rt.notifications();
      expect(told).toEqual([
        {
          kind: 'verdict-failed',
          repository: REPOSITORY,
          definition: 'api/Dockerfile',
          summary: [
            `api/Dockerfile at ${commit.slice(0, 12)} did not pass the gate; nothing was built.`,
            'Findings:',
            `  3:5 DD110 error: ${DD110_MESSAGE}`,
            `  3:5 DL4006 warning: ${DL4006_MESSAGE}`,
          ].join('\n'),
        },
      ]);
    });

    it("reads the team's .drydock.yaml at the pushed commit: it silences DL4006 but cannot silence the enforced DD110", async () => {
      const rt = await open();
      // Both runtimes must read the same configuration: locally from git at the commit, on AWS from the snapshot.
      const { snapshot, gated } = await pushAndGate(rt, {
        'api/Dockerfile': CURL_SH,
        'api/.drydock.yaml': 'ignored: [DL4006, DD110]\n',
      });
      expect(gated).toEqual([
        {
          id: verdictIdFor(REPOSITORY, snapshot.commit, 'api/Dockerfile'),
          detailType: 'Definition Verdict',
          detail: {
            repository: REPOSITORY,
            commit: snapshot.commit,
            definition: 'api/Dockerfile',
            passed: false,
            findings: [
              {
                file: 'api/Dockerfile',
                line: 3,
                column: 5,
                code: 'DD110',
                level: 'error',
                message: DD110_MESSAGE,
              },
            ],
            bases: [nodeAllowed],
            unresolved: [],
          },
        },
      ]);
    });

    it('refuses a definition whose path reorders text (a bidi override) at the split, without reading it', async () => {
      const rt = await open();
      const snapshot = snapshotOf({ 'api/Dockerfile': PASSING });
      await rt.seed(REPOSITORY, snapshot);
      const evil = 'api/\u202eelifrekcoD';
      const push = pushOf(snapshot, ['api/Dockerfile', evil]);
      const split = await rt.deliver('gate', push);
      expect(split).toEqual([
        {
          id: verdictIdFor(REPOSITORY, snapshot.commit, evil),
          detailType: 'Definition Verdict',
          detail: expect.objectContaining({
            definition: 'api/\\u202eelifrekcoD',
            passed: false,
            findings: [expect.objectContaining({ code: 'DD206', file: 'api/\\u202eelifrekcoD' })],
          }),
        },
        gateRequestOf(push, 'api/Dockerfile'),
      ]);
      await rt.deliver('notify', asEvent(split[0]!));
      const [told, ...more] = await rt.notifications();
      expect(more).toEqual([]);
      expect(told).toMatchObject({ kind: 'verdict-failed', definition: 'api/\\u202eelifrekcoD' });
      expect(told?.summary).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    });

    it('substitutes a banned base that has a replacement, builds on it, and tells the team', async () => {
      const rt = await open();
      const { snapshot, push, gated } = await pushAndGate(rt, { 'legacy/Dockerfile': BANNED_BASE });
      const { commit } = snapshot;
      const substitutedText = BANNED_BASE.replace('debian:buster', 'docker.io/library/debian:bookworm-slim');
      const substitution = {
        outcome: 'substituted',
        use: fromUse('debian:buster'),
        from: 'docker.io/library/debian:buster',
        to: 'docker.io/library/debian:bookworm-slim',
        why: `docker.io/library/debian:buster is banned: ${BUSTER_BAN.reason}`,
        rule: 'banned[0]',
      };
      expect(gated).toEqual([
        {
          id: stableId('build-requested', REPOSITORY, commit, 'legacy/Dockerfile'),
          detailType: 'Build Requested',
          detail: {
            buildId: buildIdFor(REPOSITORY, commit, 'legacy/Dockerfile'),
            repository: REPOSITORY,
            commit,
            definition: 'legacy/Dockerfile',
            correlationId: push.id,
            dockerfile: substitutedText,
            substitutions: [
              {
                from: 'docker.io/library/debian:buster',
                to: 'docker.io/library/debian:bookworm-slim',
                rule: 'banned[0]',
              },
            ],
          },
        },
        {
          id: verdictIdFor(REPOSITORY, commit, 'legacy/Dockerfile'),
          detailType: 'Definition Verdict',
          detail: {
            repository: REPOSITORY,
            commit,
            definition: 'legacy/Dockerfile',
            passed: true,
            findings: [],
            bases: [substitution],
            unresolved: [],
            substituted: substitutedText,
          },
        },
      ]);
      await rt.deliver('notify', asEvent(gated[1]!));
      expect(await rt.notifications()).toEqual([
        {
          kind: 'base-substituted',
          repository: REPOSITORY,
          definition: 'legacy/Dockerfile',
          summary: `legacy/Dockerfile at ${commit.slice(0, 12)} is built on a substituted base:\n  docker.io/library/debian:buster → docker.io/library/debian:bookworm-slim: ${substitution.why}\nUpdate the FROM line to stop seeing this.`,
        },
      ]);
    });

    it('tells nothing of a verdict that passed without a substitution', async () => {
      const rt = await open();
      const { gated } = await pushAndGate(rt, { 'api/Dockerfile': PASSING });
      const verdict = gated.find((e) => e.detailType === 'Definition Verdict');
      expect(verdict).toBeDefined();
      expect(await rt.deliver('notify', asEvent(verdict!))).toEqual([]);
      expect(await rt.notifications()).toEqual([]);
    });

    it('records an Image Published in lineage once, with its bases', async () => {
      const rt = await open();
      const published = imagePublished();
      expect(await rt.deliver('lineage', published)).toEqual([]);
      const d = published.detail;
      const record = {
        digest: d.digest,
        ref: d.ref,
        configDigest: d.configDigest,
        repository: d.repository,
        definition: d.definition,
        commit: d.commit,
        bases: d.bases,
        publishedAt: published.time,
        eventId: published.id,
      };
      expect(await rt.lineage.image(d.digest)).toEqual(record);
      expect(await rt.lineage.builtOn(BASE_DIGEST)).toEqual([{ digest: d.digest, depth: 1 }]);
      expect(await rt.lineage.count()).toBe(1);
      // A second delivery (SQS at least once, a local redelivery) records nothing new.
      expect(await rt.deliver('lineage', { ...published, id: 'image-published-again' })).toEqual([]);
      expect(await rt.lineage.image(d.digest)).toEqual(record);
      expect(await rt.lineage.count()).toBe(1);
    });
  });
}

const BASE_DIGEST = `sha256:${'b'.repeat(64)}`;

function imagePublished(): ImagePublishedEvent {
  return {
    id: 'image-published-1',
    source: 'drydock',
    detailType: 'Image Published',
    time: '2026-03-14T09:40:00.000Z',
    detail: {
      buildId: 'build-1',
      ref: '127.0.0.1:5000/shop/api:abc123',
      digest: `sha256:${'d'.repeat(64)}`,
      configDigest: `sha256:${'c'.repeat(64)}`,
      bases: [{ name: 'docker.io/library/node:20.11.1', digest: BASE_DIGEST }],
      definition: 'api/Dockerfile',
      repository: REPOSITORY,
      commit: 'a'.repeat(40),
      correlationId: 'push-1',
    },
  };
}
