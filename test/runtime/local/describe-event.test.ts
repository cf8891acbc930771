import { describe, expect, it } from 'vitest';
import type { DrydockEvent } from '../../../core/events/index.js';
import { describeEvent } from '../../../runtime/local/daemon.js';

const tested = (failures: { name: string; message: string; suite?: string }[], tests: number) =>
  ({
    version: '0',
    id: 'e-1',
    source: 'drydock',
    detailType: 'Image Tested',
    time: '2026-11-27T12:00:00.000Z',
    detail: {
      repository: 'shop',
      definition: 'app/Dockerfile',
      commit: 'a'.repeat(40),
      buildId: 'build-1',
      correlationId: 'c-1',
      imageRef: 'localhost/drydock/build-1',
      configDigest: `sha256:${'b'.repeat(64)}`,
      passed: failures.length === 0,
      summary: { tests, failures: failures.length, skipped: 0, durationMs: 5 },
      failures,
    },
  }) as unknown as DrydockEvent;

describe('describeEvent, the foreground log line', () => {
  it('counts passed tests', () => {
    expect(describeEvent(tested([], 4))).toBe('tested shop/app/Dockerfile (build-1): passed 4/4');
    expect(describeEvent(tested([{ name: 'commandTests[1] uid', message: 'x' }], 4))).toBe(
      'tested shop/app/Dockerfile (build-1): FAILED 3/4',
    );
  });

  it('says an invalid image-tests.yaml is invalid, not that 0 of 1 tests passed', () => {
    const invalid = tested(
      [{ name: 'app/image-tests.yaml', message: 'line 1: bad', suite: 'image-tests' }],
      1,
    );
    expect(describeEvent(invalid)).toBe(
      'tested shop/app/Dockerfile (build-1): FAILED, app/image-tests.yaml is invalid (no test ran)',
    );
  });

  it('names a ban, its lifting, a band-aid batch and a rebuild outcome', () => {
    const at = '2026-12-07T12:00:00.000Z';
    const event = (detailType: string, detail: Record<string, unknown>) =>
      ({ id: 'e', source: 'drydock', detailType, time: at, detail }) as unknown as DrydockEvent;
    expect(
      describeEvent(
        event('Base Image Banned', {
          banId: 'ban-1',
          ref: 'docker.io/library/busybox:1.36.0',
          reason: 'CVE-1',
          by: 'root',
          bandAids: [],
          at,
        }),
      ),
    ).toBe('ban ban-1 of docker.io/library/busybox:1.36.0 by root: CVE-1');
    expect(describeEvent(event('Base Image Unbanned', { banId: 'ban-1', ref: 'x', by: 'root', at }))).toBe(
      'ban ban-1 of x lifted by root',
    );
    expect(
      describeEvent(
        event('Band-Aid Requested', {
          banId: 'ban-1',
          bandAidId: 'close-port',
          params: {},
          batch: 0,
          targets: [{ containerId: 'c', host: 'h', imageDigest: 'd' }],
        }),
      ),
    ).toBe('band-aid close-port for ban-1: 1 container (batch 0)');
    expect(
      describeEvent(
        event('Rebuild Outcome', {
          banId: 'ban-1',
          repository: 'shop',
          definition: 'app/Dockerfile',
          commit: 'a'.repeat(40),
          state: 'reported',
          reason: 'no approved base',
        }),
      ),
    ).toBe('rebuild shop/app/Dockerfile aaaaaaaaaaaa for ban-1: reported (no approved base)');
  });
});
