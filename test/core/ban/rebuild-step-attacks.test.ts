import { describe, expect, it } from 'vitest';
import { failureReason } from '../../../core/ban/rebuild-step.js';
import { BAN_ID } from './ban-response-harness.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const subject = {
  buildId: 'b',
  repository: 'team/two',
  commit: 'a'.repeat(40),
  definition: 'Dockerfile',
  correlationId: BAN_ID,
};
// Set the terminal's title, clear the screen, and an 8-bit CSI: what a team's Dockerfile or test names may hold.
const ESCAPES = '\u001b]0;owned\u0007\u001b[2J\u009b31m';
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

describe('a rebuild failure reason from team-controlled text', () => {
  it('carries no terminal escape sequence from a build failure into the outcome', () => {
    const reason = failureReason({
      id: 'f',
      source: 'drydock',
      detailType: 'Build Failed',
      time: '2026-12-07T12:05:00.000Z',
      detail: { ...subject, stage: 'build', reason: `RUN printf '${ESCAPES}': exit status 1`, logTail: '' },
    });
    expect(reason).toMatch(/^build failed: RUN printf '.*owned.*': exit status 1$/);
    expect(reason).not.toMatch(CONTROL);
  });

  it('carries no terminal escape sequence from a test name into the outcome', () => {
    const reason = failureReason({
      id: 't',
      source: 'drydock',
      detailType: 'Image Tested',
      time: '2026-12-07T12:05:00.000Z',
      detail: {
        ...subject,
        imageRef: 'localhost/x',
        configDigest: digest('x'),
        passed: false,
        summary: { tests: 1, failures: 1, skipped: 0, durationMs: 5 },
        failures: [{ name: `uid${ESCAPES}`, message: 'want 0' }],
      },
    });
    expect(reason).toContain('uid');
    expect(reason).not.toMatch(CONTROL);
  });
});
