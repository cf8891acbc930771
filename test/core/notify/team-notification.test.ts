import { describe, expect, it } from 'vitest';
import { type DrydockEvent, type EventOf, parseEvent } from '../../../core/events/index.js';
import { teamNotificationFor } from '../../../core/notify/team-notification.js';
import { eventFixture } from '../events/fixtures.js';

/** A fixture event with parts of its detail replaced, validated as a consumer would receive it. */
function fixture<K extends DrydockEvent['detailType']>(
  name: string,
  detail: Record<string, unknown> = {},
): EventOf<K> {
  const raw = eventFixture(name);
  const result = parseEvent({ ...raw, detail: { ...(raw.detail as object), ...detail } });
  if (!result.ok) throw result.error;
  return result.event as EventOf<K>;
}

const failedVerdict = (detail: Record<string, unknown> = {}) =>
  fixture<'Definition Verdict'>('definition-verdict-failed.json', detail);
const use = { text: 'python:3.8', kind: 'from', line: 1, column: 6, start: 5, end: 15 };
const finding = (line: number) => ({
  file: 'services/worker/Dockerfile',
  line,
  column: 1,
  code: 'DL3008',
  level: 'warning',
  message: 'Pin versions in apt get install.',
});

describe('teamNotificationFor', () => {
  it('names the bases policy substitutes in a failed verdict too', () => {
    const event = failedVerdict({
      bases: [
        {
          outcome: 'substituted',
          use,
          from: 'python:3.8',
          to: 'python:3.12',
          why: 'banned: end of life',
          rule: 'sub-0',
        },
      ],
    });
    expect(teamNotificationFor(event)?.summary).toContain(
      'Base images policy substitutes:\n  python:3.8 → python:3.12: banned: end of life',
    );
  });

  it('tells about a failed verdict: every finding and denied base', () => {
    const event = failedVerdict();
    expect(teamNotificationFor(event)).toEqual({
      id: event.id,
      kind: 'verdict-failed',
      repository: 'git@git.example.internal:payments/api.git',
      definition: 'services/worker/Dockerfile',
      commit: '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb',
      at: '2025-03-14T09:26:55.120Z',
      summary: [
        'services/worker/Dockerfile at 405906c9d5be did not pass the gate; nothing was built.',
        'Findings:',
        `  4:1 DL3008 warning: ${event.detail.findings[0]?.message}`,
        'Base images denied:',
        '  docker.io/library/python:3.8: docker.io/library/python:3.8 is banned: end of life',
      ].join('\n'),
    });
  });

  it("keeps a verdict's definition name with control characters on its line (a rebuild's recorded name)", () => {
    const note = teamNotificationFor(failedVerdict({ definition: 'ops\u001b[2J/a\nb/Dockerfile' }));
    expect(note?.definition).toBe('ops?[2J/a?b/Dockerfile');
    expect(note?.summary.split('\n')[0]).toBe(
      'ops?[2J/a?b/Dockerfile at 405906c9d5be did not pass the gate; nothing was built.',
    );
  });

  it('tells about the base images a failed verdict could not resolve', () => {
    const note = teamNotificationFor(
      failedVerdict({
        findings: [],
        bases: [],
        unresolved: [
          { written: '${BASE}', kind: 'from', loc: { line: 2, column: 6 }, reason: 'ARG BASE has no value' },
        ],
      }),
    );
    expect(note?.summary).toBe(
      [
        'services/worker/Dockerfile at 405906c9d5be did not pass the gate; nothing was built.',
        'Base images not resolved:',
        '  ${BASE} (line 2): ARG BASE has no value',
      ].join('\n'),
    );
  });

  it('tells about a passed verdict whose base was substituted', () => {
    const event = failedVerdict({
      passed: true,
      findings: [],
      bases: [
        {
          outcome: 'substituted',
          use,
          from: 'docker.io/library/python:3.8',
          to: 'docker.io/library/python:3.12-slim',
          why: 'python 3.8 is end of life',
          rule: 'substitutions[0]',
        },
      ],
      substituted: 'FROM python:3.12-slim\n',
    });
    expect(teamNotificationFor(event)).toMatchObject({
      id: event.id,
      kind: 'base-substituted',
      summary: [
        'services/worker/Dockerfile at 405906c9d5be is built on a substituted base:',
        '  docker.io/library/python:3.8 → docker.io/library/python:3.12-slim: python 3.8 is end of life',
        'Update the FROM line to stop seeing this.',
      ].join('\n'),
    });
  });

  it('says nothing about a passed verdict without a substitution', () => {
    const allowed = {
      outcome: 'allowed',
      use,
      ref: 'docker.io/library/python:3.12',
      via: 'whitelist',
      entry: 'allowed[0]',
      index: 0,
    };
    expect(teamNotificationFor(failedVerdict({ passed: true, findings: [], bases: [allowed] }))).toBe(
      undefined,
    );
  });

  it('tells about a failed build with the end of its log', () => {
    const event = fixture<'Build Failed'>('build-failed.json');
    expect(teamNotificationFor(event)).toEqual({
      id: event.id,
      kind: 'build-failed',
      repository: 'git@git.example.internal:payments/api.git',
      definition: 'services/api/Dockerfile',
      commit: '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb',
      at: '2025-03-14T09:27:40Z',
      summary: [
        'services/api/Dockerfile at 405906c9d5be: build failed: RUN pip install exited with 1',
        'Last lines of the log:',
        'ERROR: Could not find a version that satisfies the requirement uvicorn==0.30.1',
        'Error: building at STEP "RUN pip install": exit status 1',
        '',
      ].join('\n'),
    });
  });

  it('leaves out the log of a failed build that has none', () => {
    const note = teamNotificationFor(
      fixture('build-failed.json', { stage: 'push', reason: 'registry refused', logTail: '' }),
    );
    expect(note?.summary).toBe('services/api/Dockerfile at 405906c9d5be: push failed: registry refused');
  });

  it('tells about failed image tests, the first broken assertion on the first line, then each one', () => {
    const event = fixture<'Image Tested'>('image-tested.json');
    expect(teamNotificationFor(event)).toMatchObject({
      id: event.id,
      kind: 'tests-failed',
      definition: 'services/api/Dockerfile',
      at: '2025-03-14T09:28:30.500Z',
      summary: [
        'services/api/Dockerfile at 405906c9d5be: 1 of 4 image tests failed: runs as a non-root user: expected uid != 0, got 0',
        'The image was not published. Every broken assertion:',
        '  runs as a non-root user: expected uid != 0, got 0',
      ].join('\n'),
    });
  });

  it('names the first failing assertion of several on one short first line and lists each assertion', () => {
    const stdout = JSON.stringify(`${'x'.repeat(2000)}\n`);
    const event = fixture<'Image Tested'>('image-tested.json', {
      summary: { tests: 4, failures: 2, skipped: 0, durationMs: 2870 },
      failures: [
        {
          name: 'commandTests[1] uid',
          message: `expectedOutput[0]: "^1000$" not found in stdout ${stdout}\nexitCode: expected 0, got 1`,
          suite: 'commandTests',
        },
        { name: 'metadataTest metadata', message: 'user: expected "app", got ""', suite: 'metadataTest' },
      ],
    });
    const lines = teamNotificationFor(event)!.summary.split('\n');
    expect(lines[0]).toMatch(
      /^services\/api\/Dockerfile at 405906c9d5be: 2 of 4 image tests failed: commandTests\[1\] uid: expectedOutput\[0\]: "\^1000\$" not found in stdout "x+…; and 1 more$/,
    );
    expect(lines[0]!.length).toBeLessThanOrEqual(400);
    expect(lines.slice(1)).toEqual([
      'The image was not published. Every broken assertion:',
      expect.stringMatching(/^ {2}commandTests\[1\] uid: expectedOutput\[0\]: .{400,}…$/),
      '  commandTests[1] uid: exitCode: expected 0, got 1',
      '  metadataTest metadata: user: expected "app", got ""',
    ]);
  });

  it('says an invalid image-tests.yaml is invalid, naming the file once and its first problem first', () => {
    const event = fixture<'Image Tested'>('image-tested.json', {
      summary: { tests: 1, failures: 1, skipped: 0, durationMs: 0 },
      failures: [
        {
          name: 'app/image-tests.yaml',
          message:
            'line 17, column 3: metadataTests: unknown key "metadataTests"\nline 2, column 1: schemaVersion: is required',
          suite: 'image-tests',
        },
      ],
    });
    const summary = teamNotificationFor(event)?.summary;
    expect(summary).toBe(
      [
        'services/api/Dockerfile at 405906c9d5be: invalid app/image-tests.yaml: line 17, column 3: metadataTests: unknown key "metadataTests"; and 1 more',
        'No image test ran and the image was not published. Problems in app/image-tests.yaml:',
        '  line 17, column 3: metadataTests: unknown key "metadataTests"',
        '  line 2, column 1: schemaVersion: is required',
      ].join('\n'),
    );
    expect(summary).not.toContain('image tests failed');
  });

  it('names the failing assertion of a build whose test stage failed (AWS), from its log', () => {
    const note = teamNotificationFor(
      fixture('build-failed.json', {
        stage: 'test',
        reason: 'CodeBuild build failed in BUILD: Error while executing command: node drydock.mjs image test',
        logTail: [
          'started drydock-test-0a1b2c (no network)',
          'PASS commandTests[0] says hello (12 ms)',
          'FAIL commandTests[1] uid (9 ms)',
          '  expectedOutput[0]: "^1000$" not found in stdout "0\\n"',
          'removed 1 container',
        ].join('\n'),
      }),
    );
    expect(note?.summary.split('\n').slice(0, 2)).toEqual([
      'services/api/Dockerfile at 405906c9d5be: test failed: commandTests[1] uid: expectedOutput[0]: "^1000$" not found in stdout "0\\n"',
      'CodeBuild build failed in BUILD: Error while executing command: node drydock.mjs image test',
    ]);
  });

  it('names the first problem of an invalid tests file of a build whose test stage failed (AWS)', () => {
    const note = teamNotificationFor(
      fixture('build-failed.json', {
        stage: 'test',
        reason: 'CodeBuild build failed in BUILD',
        logTail:
          'drydock: .drydock/context/image-tests.yaml: invalid image tests (3 problems):\n  line 4, column 5: commandTests[0].command: is required\n  line 9, column 1: x: unknown key "x"\n',
      }),
    );
    // Named by its path beside the definition, not where the build machine had it; the other problems counted.
    expect(note?.summary.split('\n')[0]).toBe(
      'services/api/Dockerfile at 405906c9d5be: test failed: invalid services/api/image-tests.yaml: line 4, column 5: commandTests[0].command: is required; and 2 more',
    );
  });

  it('keeps the reason first for a failed test stage whose log does not show a test', () => {
    const note = teamNotificationFor(
      fixture('build-failed.json', { stage: 'test', reason: 'cannot test x: no such image', logTail: '' }),
    );
    expect(note?.summary).toBe(
      'services/api/Dockerfile at 405906c9d5be: test failed: cannot test x: no such image',
    );
  });

  it('says nothing about image tests that passed', () => {
    const passed = fixture('image-tested.json', {
      passed: true,
      failures: [],
      summary: { tests: 4, failures: 0, skipped: 0, durationMs: 2870 },
    });
    expect(teamNotificationFor(passed)).toBe(undefined);
  });

  it.each(['definition-pushed.json', 'build-requested.json', 'build-completed.json', 'image-published.json'])(
    'says nothing about %s',
    (name) => {
      expect(teamNotificationFor(fixture(name))).toBe(undefined);
    },
  );

  it('lists ten items and says how many more there are', () => {
    const note = teamNotificationFor(
      failedVerdict({ bases: [], findings: Array.from({ length: 13 }, (_, i) => finding(i + 1)) }),
    );
    const lines = note!.summary.split('\n');
    expect(lines.slice(1)).toEqual([
      'Findings:',
      ...Array.from(
        { length: 10 },
        (_, i) => `  ${i + 1}:1 DL3008 warning: Pin versions in apt get install.`,
      ),
      '  … and 3 more',
    ]);
  });

  it('lists exactly ten items without a "more" line', () => {
    const note = teamNotificationFor(
      failedVerdict({ bases: [], findings: Array.from({ length: 10 }, (_, i) => finding(i + 1)) }),
    );
    const lines = note!.summary.split('\n');
    expect(lines).toHaveLength(12);
    expect(lines.at(-1)).toBe('  10:1 DL3008 warning: Pin versions in apt get install.');
  });

  it('cuts each list on its own', () => {
    const failures = Array.from({ length: 11 }, (_, i) => ({ name: `test ${i + 1}`, message: 'failed' }));
    const note = teamNotificationFor(
      fixture('image-tested.json', {
        failures,
        summary: { tests: 11, failures: 11, skipped: 0, durationMs: 1 },
      }),
    );
    expect(note?.summary.split('\n').slice(-2)).toEqual(['  test 10: failed', '  … and 1 more']);
  });
});

describe('teamNotificationFor: Rebuild Outcome', () => {
  const outcome = (detail: Record<string, unknown>) => {
    const result = parseEvent({
      id: 'rebuild-outcome-1',
      source: 'drydock',
      detailType: 'Rebuild Outcome',
      time: '2026-12-07T12:10:00.000Z',
      detail: {
        banId: 'ban-1a2b3c',
        banRef: 'docker.io/library/busybox:1.36.0',
        banReason: 'CVE-2026-0001',
        repository: 'team/two',
        definition: 'web/Dockerfile',
        commit: '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb',
        number: 1,
        of: `sha256:${'a'.repeat(64)}`,
        ...detail,
      },
    });
    if (!result.ok) throw result.error;
    return result.event;
  };

  it('tells what was banned and why, what it was rebuilt on, and the FROM diff to make in git', () => {
    const diff =
      '--- a/web/Dockerfile\n+++ b/web/Dockerfile\n@@ -1 +1 @@\n-FROM busybox:1.36.0\n+FROM docker.io/library/busybox:1.36.1';
    const note = teamNotificationFor(
      outcome({
        state: 'published',
        base: { from: 'docker.io/library/busybox:1.36.0', to: 'docker.io/library/busybox:1.36.1' },
        ref: 'registry.local/apps/team/two/web:405906c9d5be-r1',
        digest: `sha256:${'b'.repeat(64)}`,
        fromChange: diff,
      }),
    );
    expect(note).toMatchObject({ id: 'rebuild-outcome-1', kind: 'rebuild-outcome', repository: 'team/two' });
    expect(note?.summary).toBe(
      [
        'Ops banned docker.io/library/busybox:1.36.0 (CVE-2026-0001; ban ban-1a2b3c). Your image sha256:aaaaaaaaaaaa is built on it and is now unsupported: new containers of it are refused.',
        'drydock rebuilt web/Dockerfile at 405906c9d5be (rebuild 1) on docker.io/library/busybox:1.36.1 instead of docker.io/library/busybox:1.36.0 and published it as registry.local/apps/team/two/web:405906c9d5be-r1 (sha256:bbbbbbbbbbbb).',
        'The rebuild is a stop-gap: make this change in git so that your next push builds on an approved base:',
        diff,
      ].join('\n'),
    );
  });

  it('says why a definition was not rebuilt', () => {
    const note = teamNotificationFor(outcome({ state: 'reported', reason: 'no approved base' }));
    expect(note?.summary).toContain('web/Dockerfile at 405906c9d5be was not rebuilt: no approved base.');
  });

  it('says a failed rebuild failed and why', () => {
    const note = teamNotificationFor(outcome({ state: 'failed', reason: 'build failed: RUN exited 1' }));
    expect(note?.summary).toContain(
      'The rebuild of web/Dockerfile at 405906c9d5be failed: build failed: RUN exited 1.',
    );
  });

  it('says nothing needs to change when the ban was lifted first', () => {
    const note = teamNotificationFor(outcome({ state: 'cancelled' }));
    expect(note?.summary).toBe(
      'Ops lifted the ban on docker.io/library/busybox:1.36.0 (ban ban-1a2b3c) before web/Dockerfile at 405906c9d5be was rebuilt; nothing was rebuilt and nothing needs to change.',
    );
  });
});
