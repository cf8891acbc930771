import { beforeEach, describe, expect, it } from 'vitest';
import type { DefinitionGateRequestedEvent, DefinitionPushedEvent } from '../../../core/events/index.js';
import { buildIdFor, verdictIdFor } from '../../../core/gate/handle-push.js';
import { gateStep, runStep } from '../../../core/steps/index.js';
import { buildRequested, commit as commitOf } from '../../contracts/sample-events.js';
import { type PushFlowFakes, pushFlowFakes } from '../../fakes/step-ports.js';

const COMMIT = commitOf('push');
const PASSING = `FROM 127.0.0.1:5000/base/busybox:1.36.0
COPY index.html /srv/index.html
USER 1000
CMD ["httpd", "-f", "-h", "/srv"]
`;
let f: PushFlowFakes;

beforeEach(() => {
  f = pushFlowFakes();
  f.source.commit('shop', COMMIT, {
    'web/Dockerfile': PASSING,
    'web/index.html': '<p>hello</p>\n',
    'old/Dockerfile': 'FROM docker.io/library/debian:buster\nUSER 1000\n',
    'other/Dockerfile': 'FROM docker.io/library/alpine:3.19\nUSER 1000\n',
  });
});

const pushed = (definitions: DefinitionPushedEvent['detail']['definitions']): DefinitionPushedEvent => ({
  id: 'push-1',
  source: 'drydock',
  detailType: 'Definition Pushed',
  time: '2025-03-14T09:00:00.000Z',
  detail: {
    repository: 'shop',
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: COMMIT,
    pusher: 'dev',
    definitions,
  },
});

const gateRequested = (definition: string): DefinitionGateRequestedEvent => ({
  id: `gate-${definition}`,
  source: 'drydock',
  detailType: 'Definition Gate Requested',
  time: '2025-03-14T09:00:00.000Z',
  detail: { repository: 'shop', commit: COMMIT, definition, change: 'added', correlationId: 'push-1' },
});

describe('the gate step', () => {
  it('splits a push into one gate request per added or modified definition, gating none of them yet', async () => {
    const run = await runStep(
      gateStep,
      pushed([
        { path: 'web/Dockerfile', change: 'added' },
        { path: 'old/Dockerfile', change: 'modified' },
        { path: 'gone/Dockerfile', change: 'deleted' },
      ]),
      f.ports,
    );
    expect(run).toEqual({ ran: true });
    expect(f.bus.detailTypes()).toEqual(['Definition Gate Requested', 'Definition Gate Requested']);
    expect(f.bus.ofType('Definition Gate Requested').map((e) => e.detail)).toEqual([
      {
        repository: 'shop',
        commit: COMMIT,
        definition: 'web/Dockerfile',
        change: 'added',
        correlationId: 'push-1',
      },
      {
        repository: 'shop',
        commit: COMMIT,
        definition: 'old/Dockerfile',
        change: 'modified',
        correlationId: 'push-1',
      },
    ]);
    expect(f.source.reads).toEqual([]);
  });

  it('gates a definition into Build Requested and its verdict, the verdict last', async () => {
    await runStep(gateStep, gateRequested('web/Dockerfile'), f.ports);
    expect(f.bus.detailTypes()).toEqual(['Build Requested', 'Definition Verdict']);
    const [build] = f.bus.ofType('Build Requested');
    const [verdict] = f.bus.ofType('Definition Verdict');
    expect(verdict).toMatchObject({
      id: verdictIdFor('shop', COMMIT, 'web/Dockerfile'),
      detail: { passed: true, definition: 'web/Dockerfile' },
    });
    expect(build?.detail).toMatchObject({
      buildId: buildIdFor('shop', COMMIT, 'web/Dockerfile'),
      dockerfile: PASSING,
      substitutions: [],
      correlationId: 'push-1',
    });
  });

  it('asks to build a definition on a banned base on its replacement, saying what it substituted', async () => {
    await runStep(gateStep, gateRequested('old/Dockerfile'), f.ports);
    expect(f.bus.detailTypes()).toEqual(['Build Requested', 'Definition Verdict']);
    expect(f.bus.ofType('Build Requested')[0]?.detail).toMatchObject({
      dockerfile: 'FROM docker.io/library/debian:bookworm-slim\nUSER 1000\n',
      substitutions: [
        { from: 'docker.io/library/debian:buster', to: 'docker.io/library/debian:bookworm-slim' },
      ],
    });
  });

  it('publishes only the failed verdict of a definition the policy refuses', async () => {
    await runStep(gateStep, gateRequested('other/Dockerfile'), f.ports);
    expect(f.bus.detailTypes()).toEqual(['Definition Verdict']);
    expect(f.bus.ofType('Definition Verdict')[0]?.detail.passed).toBe(false);
  });

  it('skips a request whose verdict is already published, without reading the definition again', async () => {
    await runStep(gateStep, gateRequested('web/Dockerfile'), f.ports);
    const reads = [...f.source.reads];
    const published = f.bus.events.length;
    expect(await runStep(gateStep, gateRequested('web/Dockerfile'), f.ports)).toEqual({ ran: true });
    expect(f.bus.events).toHaveLength(published);
    expect(f.source.reads).toEqual(reads);
  });

  it('reads the policy anew for each event', async () => {
    const later = commitOf('later');
    f.source.commit('shop', later, { 'web/Dockerfile': PASSING, 'web/index.html': '' });
    await runStep(gateStep, gateRequested('web/Dockerfile'), f.ports);
    f.policy = { ...f.policy, allowed: [] };
    const request = gateRequested('web/Dockerfile');
    await runStep(gateStep, { ...request, detail: { ...request.detail, commit: later } }, f.ports);
    expect(f.bus.ofType('Definition Verdict').map((v) => v.detail.passed)).toEqual([true, false]);
  });

  it('ignores an event it does not consume', async () => {
    expect(await runStep(gateStep, buildRequested('b1'), f.ports)).toEqual({
      ran: false,
      reason: 'step gate does not consume Build Requested',
    });
    expect(f.bus.events).toEqual([]);
  });
});
