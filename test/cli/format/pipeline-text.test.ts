import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  relativeTime,
  renderBuild,
  renderBuilds,
  renderDeadLetters,
  renderImages,
  renderNotifications,
  renderPushes,
  renderStatus,
  shortBuildId,
  shortCommit,
  shortDigest,
  table,
} from '../../../cli/format/pipeline-text.js';
import {
  BUILDS,
  DEAD_LETTERS,
  EMPTY_STATUS,
  FAILED,
  IMAGES,
  NOTIFICATIONS,
  NOW,
  PUBLISHED,
  SHOP_PUSH,
  STATUS,
} from '../../fixtures/pipeline-api.js';

const plain = { now: NOW, colour: false };
const coloured = { now: NOW, colour: true };
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping the escapes is the point
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
const lines = (s: string) => s.split('\n');
/** The line of `text` that contains `needle`. */
const lineWith = (text: string, needle: string) => lines(text).find((l) => l.includes(needle)) ?? '';

describe('relativeTime', () => {
  it.each([
    ['2026-11-27T12:00:00.000Z', 'just now'],
    ['2026-11-27T12:00:05.000Z', 'just now'],
    ['2026-11-27T11:59:48.000Z', '12s ago'],
    ['2026-11-27T11:59:00.500Z', '59s ago'],
    ['2026-11-27T11:56:00.000Z', '4m ago'],
    ['2026-11-27T09:00:00.000Z', '3h ago'],
    ['2026-11-25T11:00:00.000Z', '2d ago'],
    ['not a time', '?'],
  ])('shows %s as %s', (iso, shown) => {
    expect(relativeTime(iso, NOW)).toBe(shown);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [999.7, '1.0s'],
    [1400, '1.4s'],
    [3274, '3.3s'],
    [9960, '10s'],
    [12_400, '12s'],
    [59_600, '1m00s'],
    [125_000, '2m05s'],
    [3_720_000, '1h02m'],
  ])('shows %d ms as %s', (ms, shown) => {
    expect(formatDuration(ms)).toBe(shown);
  });
});

describe('short ids', () => {
  it('cuts a digest to 12 hex digits without its algorithm', () => {
    expect(shortDigest(PUBLISHED.imageDigest!)).toBe('aee48ed7f847');
  });

  it('cuts a commit to the 12 characters image tags carry', () => {
    expect(shortCommit(PUBLISHED.commit)).toBe('cdcc8a499682');
  });

  it('drops the build- prefix of a build id and keeps 12 characters', () => {
    expect(shortBuildId(PUBLISHED.buildId)).toBe('f17af62636ee');
  });
});

describe('table', () => {
  it('aligns columns, right-aligns numbers and leaves no trailing spaces', () => {
    const text = table(
      [{ header: 'NAME' }, { header: 'COUNT', align: 'right' }, { header: 'NOTE' }],
      [
        ['gate', '1', ''],
        ['lineage', '120', 'slow'],
      ],
    );
    expect(text).toBe('NAME     COUNT  NOTE\ngate         1\nlineage    120  slow\n');
  });

  it('does not count colour codes in column widths', () => {
    const columns = [{ header: 'STATE' }, { header: 'NEXT' }];
    const withColour = table(columns, [['\u001b[32mok\u001b[0m', 'x']], { colour: true });
    const without = table(columns, [['ok', 'x']]);
    expect(stripAnsi(withColour)).toBe(without);
  });
});

describe('renderStatus', () => {
  const text = renderStatus(STATUS, plain);

  it('says where everything is, with each repo and its remote aligned', () => {
    expect(text).toContain('drydock 0.1.0 runs (pid 14592, started 14m ago)');
    expect(text).toContain('  state     /tmp/ddx/state\n');
    expect(text).toContain('  API       http://127.0.0.1:40931\n');
    expect(text).toContain('  registry  127.0.0.1:44597\n');
    expect(text).toContain('  policy    /tmp/ddx/state/policy.yaml\n');
    expect(text).toContain('  repos     shop  /tmp/ddx/state/repos/shop.git\n');
    expect(text).toContain('            web   /tmp/ddx/state/repos/web.git\n');
  });

  it('shows every queue with its depths and calls out dead letters', () => {
    expect(text).toContain(
      [
        '  QUEUE    VISIBLE  IN FLIGHT  DEAD LETTERS',
        '  gate           1          0             0',
        '  build          1          1             2',
      ].join('\n'),
    );
    expect(text).toContain(
      '  ! 2 dead letters: work that failed for good; see drydock dead-letters --state /tmp/ddx/state',
    );
  });

  it('shows each push with a verdict per definition, the first findings and the build id', () => {
    expect(text).toContain('  shop main cdcc8a499682  by alice, 42s ago\n');
    expect(lineWith(text, 'bad/Dockerfile ')).toMatch(
      /^ {4}bad\/Dockerfile +FAILED +4 findings, 1 base denied +not built$/,
    );
    expect(text).toContain(
      '      2:5 DD110 error: Remote script piped into a shell: wget output is piped into sh; download, verify the checksum, then run\n',
    );
    expect(text).toContain('      … 1 more (all: drydock notifications --format json)\n');
    expect(text).not.toContain('DL3007');
    expect(text).toContain(
      '      base docker.io/library/alpine:3.20 denied: docker.io is not a trusted registry\n',
    );
    expect(lineWith(text, 'hello/Dockerfile ')).toBe(
      '    hello/Dockerfile   passed  no findings                build f17af62636ee',
    );
  });

  it('shows a push the gate has not judged yet', () => {
    expect(text).toContain(
      '  web main 5e0f1d2c3b4a  by bob, 2s ago\n    docs/Dockerfile  pending  waiting for the gate\n',
    );
  });

  it('shows recent builds with id, definition, state, attempts and duration, so far for a running one', () => {
    const section = text.slice(text.indexOf('Recent builds'));
    const header = lineWith(section, 'BUILD');
    const failed = lineWith(section, 'ebfeebc91b4f');
    expect(failed).toMatch(
      /shop\/tested\/Dockerfile +cdcc8a499682 +failed +2 +3\.3s +38s ago +1 of 1 image tests failed$/,
    );
    expect(lineWith(section, 'ebf0a4c2d9e8')).toMatch(/building +1 +4\.2s… +4s ago$/);
    expect(lineWith(section, '0d1c2b3a4958')).toMatch(/queued +0 +— +4s ago$/);
    // Columns line up: every cell of a column starts where its header does.
    for (const column of ['DEFINITION', 'COMMIT', 'STATE', 'UPDATED']) {
      const at = header.indexOf(column);
      for (const id of ['ebfeebc91b4f', 'f17af62636ee', 'ebf0a4c2d9e8']) {
        const row = lineWith(section, id);
        expect(row[at - 1], `${column} of ${id}`).toBe(' ');
        expect(row[at], `${column} of ${id}`).not.toBe(' ');
      }
    }
  });

  it('says how to begin on a fresh pipeline, without a dead-letter warning', () => {
    const empty = renderStatus(EMPTY_STATUS, plain);
    expect(empty).toContain('  repos     none yet — drydock repo create NAME\n');
    expect(empty).toContain('Recent pushes\n  no pushes yet — push to a repo: drydock repo create NAME\n');
    expect(empty).toContain(
      'Recent builds\n  no builds yet — a push whose definitions pass the gate starts one\n',
    );
    expect(empty).not.toContain('dead letters:');
  });

  it('colours only when asked, and coloured text has the same layout', () => {
    expect(text).not.toContain('\u001b[');
    const withColour = renderStatus(STATUS, coloured);
    expect(withColour).toContain('\u001b[1;31mFAILED\u001b[0m');
    expect(withColour).toContain('\u001b[1;31m2\u001b[0m');
    expect(withColour).toContain('\u001b[32mpublished\u001b[0m');
    expect(stripAnsi(withColour)).toBe(text);
  });
});

describe('renderPushes', () => {
  it('shows a passed definition whose build has not been recorded yet', () => {
    const verdict = { ...SHOP_PUSH.verdicts[1]!, buildId: undefined };
    const text = renderPushes([{ ...SHOP_PUSH, verdicts: [verdict] }], plain);
    expect(text).toContain(
      [
        '    hello/Dockerfile   passed   no findings           build pending',
        '    bad/Dockerfile     pending  waiting for the gate',
      ].join('\n'),
    );
  });
});

describe('renderPushes, a verdict failed by the policy alone', () => {
  it('names a base the gate could not work out', () => {
    const verdict = {
      ...SHOP_PUSH.verdicts[0]!,
      findings: [],
      bases: [{ ref: '$BASE', outcome: 'unresolved', detail: 'ARG BASE has no default and no --build-arg' }],
    };
    const text = renderPushes([{ ...SHOP_PUSH, verdicts: [verdict] }], plain);
    expect(lineWith(text, 'bad/Dockerfile ')).toMatch(
      /^ {4}bad\/Dockerfile +FAILED +1 base unresolved +not built$/,
    );
    expect(text).toContain('      base $BASE unresolved: ARG BASE has no default and no --build-arg\n');
  });

  it('says how many bases were denied instead of "no findings"', () => {
    const verdict = { ...SHOP_PUSH.verdicts[0]!, findings: [] };
    const text = renderPushes([{ ...SHOP_PUSH, verdicts: [verdict] }], plain);
    expect(lineWith(text, 'bad/Dockerfile ')).toMatch(
      /^ {4}bad\/Dockerfile +FAILED +1 base denied +not built$/,
    );
    expect(text).toContain(
      '      base docker.io/library/alpine:3.20 denied: docker.io is not a trusted registry\n',
    );
  });
});

describe('renderBuilds', () => {
  it('lists builds newest first with their state and the first line of an error', () => {
    const text = renderBuilds(BUILDS, plain);
    expect(lines(text)[0]).toBe(
      'BUILD         DEFINITION               COMMIT        STATE      ATTEMPTS  DURATION  UPDATED  ERROR',
    );
    expect(
      lines(text)
        .slice(1, -1)
        .map((l) => l.slice(0, 12)),
    ).toEqual(['ebf0a4c2d9e8', '0d1c2b3a4958', 'ebfeebc91b4f', 'f17af62636ee']);
    expect(text).not.toContain('fileContentTests');
  });

  it('says what to do when there are none, or what a filter found none of', () => {
    expect(renderBuilds([], plain)).toBe(
      'no builds yet — a push whose definitions pass the gate starts one\n',
    );
    expect(renderBuilds([], plain, { empty: 'no failed builds' })).toBe('no failed builds\n');
  });
});

describe('renderBuild', () => {
  const text = renderBuild(FAILED, plain);

  it('shows where the build came from, its image and its whole error', () => {
    expect(lines(text)[0]).toBe('build-ebfeebc91b4f327357a91e636a47481b  failed');
    expect(text).toContain('  definition  shop/tested/Dockerfile\n');
    expect(text).toContain(`  commit      ${FAILED.commit}\n`);
    expect(text).toContain('  attempts    2\n');
    expect(text).toContain('  duration    3.3s\n');
    expect(text).toContain(`  image       ${FAILED.imageDigest}\n`);
    expect(text).toContain(
      '  error       1 of 1 image tests failed\n              fileContentTests[0] hello: expectedContents[0]',
    );
    expect(text).toContain('  log         drydock logs ebfeebc91b4f\n');
  });

  it('shows each state with how long the build stayed in it', () => {
    expect(text).toContain(
      [
        '    queued    2026-11-27T11:59:17.945Z  61ms',
        '    building  2026-11-27T11:59:18.006Z  2.1s',
        '    testing   2026-11-27T11:59:20.120Z  1.2s',
        '    failed    2026-11-27T11:59:21.280Z',
      ].join('\n'),
    );
  });
});

describe('renderImages', () => {
  const text = renderImages(IMAGES, plain);

  it('shows ref, short digest, status, bases, definition, short commit and age in aligned columns', () => {
    const [header, hello, frontend] = lines(text);
    expect(header).toMatch(/^REF +DIGEST +STATUS +BASES +DEFINITION +COMMIT +PUBLISHED +REASON$/);
    expect(hello).toMatch(
      /^127\.0\.0\.1:44597\/apps\/shop\/hello:cdcc8a499682 +aee48ed7f847 +supported +base\/busybox:1\.36\.1@7069ce1031d3 +shop\/hello\/Dockerfile +cdcc8a499682 +39s ago$/,
    );
    expect(frontend).toMatch(/ UNSUPPORTED /);
    expect(frontend).toMatch(/2d ago +ban-0a1b2c3d4e5f: CVE-2026-1234 in busybox 1\.36\.0$/);
    expect(hello!.indexOf('aee48ed7f847')).toBe(header!.indexOf('DIGEST'));
    expect(frontend!.indexOf('3c9e4b7a1d2f')).toBe(header!.indexOf('DIGEST'));
  });

  it("drops the registry host from a base that shares the image's, and keeps a foreign one", () => {
    expect(text).toContain(
      'base/busybox:1.36.0@68515850f006, mirror.example.com/library/node:20-alpine@b1946ac92492',
    );
  });

  it('calls out an unsupported image in colour', () => {
    expect(renderImages(IMAGES, coloured)).toContain('\u001b[1;31mUNSUPPORTED\u001b[0m');
  });

  it('has no REASON column while every image is supported', () => {
    const [header] = lines(renderImages(IMAGES.slice(0, 1), plain));
    expect(header).toMatch(/PUBLISHED$/);
  });

  it('says how images come to be when there are none', () => {
    expect(renderImages([], plain)).toBe(
      'no images published yet — push a definition that passes the gate to a drydock repo\n',
    );
  });
});

describe('renderNotifications', () => {
  it('shows kind, definition, short commit and the first line of the summary', () => {
    const text = renderNotifications(NOTIFICATIONS, plain);
    expect(lines(text)[0]).toBe('AGE      KIND            DEFINITION              COMMIT        SUMMARY');
    expect(lines(text)[1]).toBe(
      '38s ago  tests-failed    shop/tested/Dockerfile  cdcc8a499682  tested/Dockerfile at cdcc8a499682: 1 of 1 image tests failed; the image was not published.',
    );
    expect(lines(text)[2]).toMatch(
      /^3m ago +verdict-failed +shop\/bad\/Dockerfile +cdcc8a499682 +bad\/Dockerfile at/,
    );
    expect(text).not.toContain('fileContentTests');
  });

  it('says what would appear when the outbox is empty', () => {
    expect(renderNotifications([], plain)).toBe(
      'no notifications — teams hear of failed verdicts, builds and tests here\n',
    );
  });
});

describe('renderDeadLetters', () => {
  it('shows queue, message, receive count, event type and the first line of the reason', () => {
    expect(renderDeadLetters(DEAD_LETTERS, plain)).toBe(
      [
        'QUEUE  MESSAGE       RECEIVES  DETAIL TYPE      REASON',
        'build  msg-7f3a9c1e         5  Build Requested  buildah exited 125: error creating build container: no space left on device',
        'build  msg-0b12d4e8         1  —                event detail does not match the Build Requested schema',
        '',
      ].join('\n'),
    );
  });

  it('says so when there are none', () => {
    expect(renderDeadLetters([], plain)).toBe('no dead letters\n');
  });
});
