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
});
