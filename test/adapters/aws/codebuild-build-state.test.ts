import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Build } from '@aws-sdk/client-codebuild';
import { describe, expect, it } from 'vitest';
import {
  type BuildFacts,
  buildEventsOf,
  buildIdOf,
  buildRequestOf,
  CodeBuildStateDetail,
  endsBuild,
  factsFromEvent,
  unfinishedBuild,
  withBuild,
} from '../../../adapters/aws/codebuild-build-state.js';
import { type BuildRequestedEvent, type DrydockEvent, parseEvent } from '../../../core/events/index.js';
import { CODEBUILD_EMITS, codebuildNext } from '../../../lambdas/handlers/build-state.js';

const fixture = (path: string) => JSON.parse(readFileSync(join(import.meta.dirname, path), 'utf8'));
const detailOf = (name: string) => CodeBuildStateDetail.parse(fixture(`fixtures/${name}`).detail);
const BUILD = (fixture('fixtures/batch-get-builds-succeeded.json') as { builds: Build[] }).builds[0]!;
const BUILD_ID = 'build-0b5c3a1f9e2d4c6b8a7f1e0d2c3b4a59';
const now = new Date('2025-03-14T09:31:30.000Z');

/** A real event fixture (wire form), moved to the build of the state change fixtures. */
const wire = (name: string, detail: Record<string, unknown> = {}) => {
  const e = fixture(`../../fixtures/events/${name}.json`);
  return {
    ...e,
    detail: { ...e.detail, ...('buildId' in e.detail ? { buildId: BUILD_ID } : {}), ...detail },
  };
};
const typed = (w: unknown) => {
  const parsed = parseEvent(w);
  if (!parsed.ok) throw parsed.error;
  return parsed.event;
};
const REQUEST = typed(wire('build-requested')) as BuildRequestedEvent;
const COMPLETED = wire('build-completed');
const PASSED = wire('image-tested', { passed: true });
const PUBLISHED = wire('image-published');
const jsonl = (...events: unknown[]) => events.map((e) => `${JSON.stringify(e)}\n`).join('');
const read = (text: string, truncated = false) =>
  buildEventsOf(text, REQUEST, { allowed: CODEBUILD_EMITS, next: codebuildNext, truncated });
const failedFacts = () => factsFromEvent(detailOf('codebuild-state-failed.json'));

describe('the build a state change is about', () => {
  it('is the DRYDOCK_BUILD_ID StartBuild set, read from the event or from BatchGetBuilds', () => {
    expect(buildIdOf(failedFacts())).toBe(BUILD_ID);
    const bare: BuildFacts = {
      ...factsFromEvent(detailOf('codebuild-state-succeeded.json')),
      env: new Map(),
    };
    expect(buildIdOf(withBuild(bare, BUILD))).toBe(BUILD_ID);
  });

  it('refuses a build that carries no drydock build id', () => {
    expect(() => buildIdOf({ ...failedFacts(), env: new Map() })).toThrow(
      /environment variable DRYDOCK_BUILD_ID is missing/,
    );
  });

  it("takes the stored request only when it is this build's Build Requested", () => {
    expect(buildRequestOf(failedFacts(), BUILD_ID, wire('build-requested'))).toEqual(REQUEST);
    expect(() => buildRequestOf(failedFacts(), BUILD_ID, undefined)).toThrow(/no stored request/);
    expect(() => buildRequestOf(failedFacts(), 'build-other', wire('build-requested'))).toThrow(
      /not the Build Requested of build-other/,
    );
    expect(() => buildRequestOf(failedFacts(), BUILD_ID, COMPLETED)).toThrow(/not the Build Requested/);
    expect(() => buildRequestOf(failedFacts(), BUILD_ID, { nope: 1 })).toThrow(/its request/);
  });
});

describe('buildEventsOf', () => {
  it('keeps the events of this build in order', () => {
    const { events, refused } = read(jsonl(COMPLETED, PASSED, PUBLISHED));
    expect(events.map((e) => e.detailType)).toEqual(['Build Completed', 'Image Tested', 'Image Published']);
    expect(events[2]).toEqual(typed(PUBLISHED));
    expect(refused).toEqual([]);
  });

  it("refuses another build's Image Published", () => {
    const other = { ...PUBLISHED, detail: { ...PUBLISHED.detail, buildId: 'build-someone-else' } };
    const { events, refused } = read(jsonl(COMPLETED, PASSED, other));
    expect(events.map((e) => e.detailType)).toEqual(['Build Completed', 'Image Tested']);
    expect(refused).toEqual([
      { line: 3, reason: expect.stringMatching(/^Image Published of buildId "build-someone-else"/) },
    ]);
  });

  it('refuses an Image Published of this build id that claims another repository', () => {
    const moved = { ...PUBLISHED, detail: { ...PUBLISHED.detail, repository: 'github.com/ops/base-images' } };
    expect(read(jsonl(moved)).refused).toEqual([
      {
        line: 1,
        reason: expect.stringMatching(/^Image Published of repository "github.com\/ops\/base-images"/),
      },
    ]);
  });

  it('refuses a forged Base Image Banned: only ops may ban, never a build', () => {
    const { events, refused } = read(
      jsonl(COMPLETED, fixture('../../fixtures/events/base-image-banned.json')),
    );
    expect(events.map((e) => e.detailType)).toEqual(['Build Completed']);
    expect(refused).toEqual([
      { line: 2, reason: "Base Image Banned is not an event the build's steps may publish" },
    ]);
  });

  it('refuses malformed lines one by one and keeps the rest', () => {
    const text = [
      JSON.stringify(COMPLETED),
      '{"detail-type": "Image Tested", "detail": {',
      '[1, 2, 3]',
      JSON.stringify({ ...PASSED, detail: { ...PASSED.detail, commit: 'not-a-commit' } }),
      '',
      '   ',
      JSON.stringify(PASSED),
    ].join('\n');
    const { events, refused } = read(text);
    expect(events.map((e) => e.detailType)).toEqual(['Build Completed', 'Image Tested']);
    expect(refused.map((r) => [r.line, r.reason.split(':')[0]])).toEqual([
      [2, 'not JSON'],
      [3, 'not a drydock event'],
      [4, 'not a drydock event'],
    ]);
  });

  it('relays an event once: a repeat is out of the flow, and an id is not reused', () => {
    expect(read(jsonl(COMPLETED, PASSED, PASSED)).refused).toEqual([
      { line: 3, reason: 'Image Tested cannot follow Image Tested' },
    ]);
    const reused = { ...wire('build-failed'), id: PASSED.id };
    expect(read(jsonl(COMPLETED, PASSED, reused)).refused).toEqual([
      { line: 3, reason: `event ${PASSED.id} appears twice` },
    ]);
  });

  it('refuses an Image Published that no passed Image Tested came before', () => {
    const { events, refused } = read(jsonl(COMPLETED, PUBLISHED));
    expect(events.map((e) => e.detailType)).toEqual(['Build Completed']);
    expect(refused).toEqual([{ line: 2, reason: 'Image Published cannot follow Build Completed' }]);
    expect(read(jsonl(PUBLISHED)).refused).toEqual([
      { line: 1, reason: 'Image Published cannot follow the request' },
    ]);
    const failedTests = wire('image-tested', { passed: false });
    expect(read(jsonl(COMPLETED, failedTests, PUBLISHED)).refused).toEqual([
      { line: 3, reason: 'Image Published cannot follow Image Tested, which ended the build' },
    ]);
  });

  it('refuses anything after the event that ended the build', () => {
    const { events, refused } = read(jsonl(COMPLETED, PASSED, PUBLISHED, wire('build-failed')));
    expect(events.map((e) => e.detailType)).toEqual(['Build Completed', 'Image Tested', 'Image Published']);
    expect(refused).toEqual([
      { line: 4, reason: 'Build Failed cannot follow Image Published, which ended the build' },
    ]);
  });

  it('refuses the cut last line of a file read up to its cap', () => {
    const text = `${jsonl(COMPLETED)}${JSON.stringify(PASSED).slice(0, 40)}`;
    const { events, refused } = read(text, true);
    expect(events.map((e) => e.detailType)).toEqual(['Build Completed']);
    expect(refused).toEqual([{ line: 2, reason: 'cut at the read cap' }]);
  });
});

describe('unfinishedBuild', () => {
  const last = (w: unknown) => typed(w) as DrydockEvent;

  it.each([
    ['Image Published', PUBLISHED],
    ['Build Failed', wire('build-failed')],
    ['Image Tested that did not pass', wire('image-tested', { passed: false })],
  ])('adds nothing when the last event, %s, ends the build', (_, event) => {
    expect(endsBuild(last(event))).toBe(true);
    expect(unfinishedBuild(failedFacts(), REQUEST, last(event), { now })).toBeUndefined();
  });

  it.each([
    ['no event', undefined, 'build'],
    ['Build Completed', COMPLETED, 'test'],
    ['Image Tested that passed', PASSED, 'push'],
  ])(
    'fails the build at the stage after %s, with the failed phase, its message, the log link and tail',
    (_, event, stage) => {
      const failed = unfinishedBuild(failedFacts(), REQUEST, event && last(event), {
        now,
        logTail: 'Step 4/9 : RUN make\nmake: *** [all] Error 2',
      });
      expect(failed && parseEvent(failed).ok).toBe(true);
      expect(failed?.detail).toMatchObject({
        buildId: BUILD_ID,
        repository: REQUEST.detail.repository,
        commit: REQUEST.detail.commit,
        definition: REQUEST.detail.definition,
        correlationId: REQUEST.detail.correlationId,
        stage,
        durationMs: 143_000,
        logTail: 'Step 4/9 : RUN make\nmake: *** [all] Error 2',
        logPath: expect.stringMatching(/^https:\/\/console\.aws\.amazon\.com\/cloudwatch\/.*stream=8745a7a9/),
      });
      expect(failed?.detail.reason).toMatch(
        /^CodeBuild build failed in BUILD: COMMAND_EXECUTION_ERROR: .*exit status 1$/,
      );
      expect(failed?.detail).not.toHaveProperty('dockerfile');
    },
  );

  it('fails a build CodeBuild calls succeeded whose steps reported no outcome', () => {
    const facts = withBuild(factsFromEvent(detailOf('codebuild-state-succeeded.json')), BUILD);
    expect(unfinishedBuild(facts, REQUEST, last(COMPLETED), { now })?.detail).toMatchObject({
      stage: 'test',
      reason: "the CodeBuild build succeeded but drydock's test step reported no outcome",
    });
  });

  it('uses the phase message as the tail when the log cannot be read', () => {
    expect(unfinishedBuild(failedFacts(), REQUEST, undefined, { now })?.detail.logTail).toMatch(
      /^COMMAND_EXECUTION_ERROR/,
    );
  });

  it('says nothing of a build still in progress', () => {
    expect(
      unfinishedBuild({ ...failedFacts(), status: 'IN_PROGRESS' }, REQUEST, undefined, { now }),
    ).toBeUndefined();
  });

  it('names the same Build Failed event for the same build, so a redelivery is the same event', () => {
    const a = unfinishedBuild(failedFacts(), REQUEST, undefined, { now });
    const b = unfinishedBuild(failedFacts(), REQUEST, undefined, { now: new Date(now.getTime() + 60_000) });
    expect(a?.id).toBe(b?.id);
  });
});

describe('an events file left by an earlier build of the same id', () => {
  it('is refused line by line when its events are older than this CodeBuild build', () => {
    const facts = withBuild(factsFromEvent(detailOf('codebuild-state-failed.json')), {
      ...BUILD,
      startTime: new Date('2025-03-14T11:00:00Z'),
    });
    expect(facts.startedAt?.toISOString()).toBe('2025-03-14T11:00:00.000Z');
    const out = buildEventsOf(jsonl(COMPLETED, PASSED, PUBLISHED), REQUEST, {
      allowed: CODEBUILD_EMITS,
      next: codebuildNext,
      truncated: false,
      ...(facts.startedAt ? { startedAt: facts.startedAt } : {}),
    });
    expect(out.events).toEqual([]);
    expect(out.refused.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(out.refused[0]!.reason).toContain('is older than this CodeBuild build');
    // With nothing relayed, the build did not end: it is reported failed, not published.
    expect(unfinishedBuild(facts, REQUEST, undefined, { now })?.detail.stage).toBe('build');
  });

  it('is relayed when this build published it, a clock a little behind CodeBuild included', () => {
    // Build Completed at 09:28:01.004: the build host's clock 30 s behind a start at 09:28:31.
    const out = buildEventsOf(jsonl(COMPLETED, PASSED, PUBLISHED), REQUEST, {
      allowed: CODEBUILD_EMITS,
      next: codebuildNext,
      truncated: false,
      startedAt: new Date('2025-03-14T09:28:31Z'),
    });
    expect(out.refused).toEqual([]);
    expect(out.events.map((e) => e.detailType)).toEqual([
      'Build Completed',
      'Image Tested',
      'Image Published',
    ]);
  });
});
