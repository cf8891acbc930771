import { beforeEach, describe, expect, it } from 'vitest';
import type { BuildRequestedEvent } from '../../../core/events/build-requested.js';
import { buildIdFor } from '../../../core/gate/handle-push.js';
import { type BuildStepDeps, runBuild } from '../../../core/pipeline/build-step.js';
import { buildRequested, commit as commitOf } from '../../contracts/sample-events.js';
import { type PushFlowFakes, pushFlowFakes } from '../../fakes/step-ports.js';

const COMMIT = commitOf('pinned');
const TOOL = '127.0.0.1:5000/base/tool';
let f: PushFlowFakes;
let deps: BuildStepDeps;
// Two different images in one repository of the pipeline's registry: base/tool:1 and base/tool:2.
const digests: Record<'1' | '2', string> = { '1': '', '2': '' };

beforeEach(() => {
  f = pushFlowFakes();
  for (const version of ['1', '2'] as const) digests[version] = f.registry.seed('base/tool', version).digest;
  f.source.commit('team-a', COMMIT, { 'apps/x/greeting.txt': 'hello\n' });
  deps = {
    context: f.context,
    builder: f.builder,
    registry: f.registry,
    records: f.records,
    workspace: f.workspaces.open,
    logSink: f.logs.open,
    timeoutMs: 120_000,
  };
});

/** A Build Requested for apps/x/Dockerfile with this text. */
function requested(dockerfile: string): BuildRequestedEvent {
  const sample = buildRequested('pinned');
  const definition = 'apps/x/Dockerfile';
  return {
    ...sample,
    detail: {
      ...sample.detail,
      repository: 'team-a',
      commit: COMMIT,
      definition,
      buildId: buildIdFor('team-a', COMMIT, definition),
      dockerfile,
    },
  };
}

describe('runBuild with a name:tag@digest base', () => {
  it('refuses FROM tool:2@<digest of tool:1>, naming both digests, without building', async () => {
    const event = requested(`FROM ${TOOL}:2@${digests['1']}\nCOPY greeting.txt /greeting.txt\n`);
    const outcome = await runBuild(event, deps);
    expect(outcome).toMatchObject({
      detailType: 'Build Failed',
      detail: {
        stage: 'build',
        reason:
          `line 1: ${TOOL}:2@${digests['1']}: the tag 2 points at ${digests['2']}, not the pinned digest; ` +
          `pin the digest the tag points at, or write ${TOOL}@${digests['1']} without the tag`,
      },
    });
    const record = await f.records.get(event.detail.buildId);
    expect(record?.history.map((h) => h.state)).toEqual(['queued', 'failed']);
    expect(f.builder.builds).toEqual([]);
  });

  it('refuses the same in COPY --from', async () => {
    const outcome = await runBuild(
      requested(`FROM ${TOOL}:2\nCOPY --from=${TOOL}:2@${digests['1']} /version /v1\n`),
      deps,
    );
    expect(outcome.detailType).toBe('Build Failed');
    if (outcome.detailType !== 'Build Failed') return;
    expect(outcome.detail.reason).toBe(
      `line 2: ${TOOL}:2@${digests['1']}: the tag 2 points at ${digests['2']}, not the pinned digest; ` +
        `pin the digest the tag points at, or write ${TOOL}@${digests['1']} without the tag`,
    );
  });

  it('refuses a pinned tag that does not exist', async () => {
    const outcome = await runBuild(requested(`FROM ${TOOL}:3@${digests['1']}\n`), deps);
    expect(outcome).toMatchObject({
      detailType: 'Build Failed',
      detail: {
        reason: expect.stringContaining(
          `${TOOL}:3@${digests['1']}: the tag 3 does not exist, so the pinned digest cannot be checked against it`,
        ),
      },
    });
  });

  it('builds on a tag pinned to its own digest, on that digest, recording the reference as written', async () => {
    const pinned = await runBuild(requested(`FROM ${TOOL}:2@${digests['2']}\nCOPY greeting.txt /g\n`), deps);
    expect(pinned).toMatchObject({
      detailType: 'Build Completed',
      detail: { bases: [{ name: `${TOOL}:2@${digests['2']}`, digest: digests['2'] }] },
    });
    expect(f.builder.builds[0]?.dockerfileText).toBe(`FROM ${TOOL}@${digests['2']}\nCOPY greeting.txt /g\n`);
  });

  it('builds on a digest written without a tag', async () => {
    const byDigest = await runBuild(requested(`FROM ${TOOL}@${digests['1']}\n`), deps);
    expect(byDigest).toMatchObject({
      detailType: 'Build Completed',
      detail: { bases: [{ name: `${TOOL}@${digests['1']}`, digest: digests['1'] }] },
    });
  });
});
