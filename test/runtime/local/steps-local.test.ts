// The step contract on the local composition: `localStepPorts` itself (opened without a registry or podman behind
// it: the gate, lineage and notify steps never call them), each step run by `stepHandler` as the local queue workers
// run it, over a real bare git repository, the policy file, the SQLite event log and bus, the SQLite lineage store
// and the outbox.
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createBareRepository } from '../../../adapters/local/git-repositories.js';
import { SqliteOutbox } from '../../../adapters/local/sqlite-outbox.js';
import { stepNamed } from '../../../core/steps/index.js';
import { readPolicyFile } from '../../../runtime/local/policy-store.js';
import { stepHandler } from '../../../runtime/local/step-dispatch.js';
import { TempState } from '../../contracts/local-state.js';
import { STEPS_POLICY_FILE, type StepsRuntime, stepsContract } from '../../contracts/steps.contract.js';
import { openLocalStepPorts } from '../../helpers/local-step-ports.js';

const states: TempState[] = [];
afterEach(() => {
  for (const s of states.splice(0)) s.close();
});

async function openLocal(): Promise<StepsRuntime> {
  const state = new TempState();
  states.push(state);
  // The daemon reads <stateDir>/policy.yaml; the same file is read for each event, as the daemon's watcher would.
  const policyPath = join(state.dir, 'policy.yaml');
  copyFileSync(STEPS_POLICY_FILE, policyPath);
  // Nothing listens at the registry address and no container storage is made: these steps never build or push.
  const { db, log, ports } = openLocalStepPorts(state, { policy: () => readPolicyFile(policyPath) });
  const outbox = new SqliteOutbox(db);
  let seen = 0;
  let told = 0;
  return {
    seed: async (repository, snapshot) => {
      const repo = await createBareRepository(join(state.dir, 'repos'), repository, ['true']);
      execFileSync('git', ['push', '--quiet', repo.remote, 'main'], { cwd: snapshot.dir });
    },
    deliver: async (name, event) => {
      const step = stepNamed(name);
      if (!step) throw new Error(`no step ${name}`);
      await stepHandler(step, ports)(event);
      const logged = await log.readAfter(seen, 1000);
      seen = logged.at(-1)?.seq ?? seen;
      return logged.map(({ event: e }) => ({ id: e.id, detailType: e.detailType, detail: e.detail }));
    },
    notifications: async () => {
      const all = (await outbox.list(1000)).reverse();
      const fresh = all.slice(told);
      told = all.length;
      return fresh.map((n) => ({
        kind: n.kind,
        repository: n.repository,
        definition: n.definition,
        summary: n.summary,
      }));
    },
    lineage: {
      image: (digest) => ports.lineage.image(digest),
      builtOn: async (digest) =>
        (await ports.lineage.imagesBuiltOn(digest)).map((d) => ({ digest: d.image.digest, depth: d.depth })),
      count: async () => (await ports.lineage.list({ limit: 1000 })).length,
    },
  };
}

stepsContract('local', openLocal);
