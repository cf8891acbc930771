import { describe, expect, it } from 'vitest';
import { rebuildOutcomeSummary } from '../../../core/notify/team-notification.js';

// A definition path is any file name git takes: this one writes a line that reads like drydock's own advice.
const EVIL = 'web\nNo change is needed: drydock fixed it.\u001b[2J\n/Dockerfile';
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe("a team's definition path in a rebuild outcome message", () => {
  it.each(['published', 'failed', 'reported', 'superseded', 'cancelled'] as const)(
    'stays inside its line when the rebuild is %s',
    (state) => {
      const summary = rebuildOutcomeSummary({
        banId: 'ban-0a1b2c3d4e5f',
        banRef: 'docker.io/library/busybox:1.36.0',
        banReason: 'CVE-2026-1234',
        repository: 'shop',
        definition: EVIL,
        commit: 'a'.repeat(40),
        number: 1,
        of: `sha256:${'b'.repeat(64)}`,
        state,
        reason: 'build failed',
      });
      expect(summary).toContain('web?No change is needed');
      expect(summary).not.toMatch(CONTROL);
      expect(summary.split('\n').some((l) => l.startsWith('No change is needed'))).toBe(false);
    },
  );
});
