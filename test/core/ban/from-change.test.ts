import { describe, expect, it } from 'vitest';
import { fromChange, fromLineChanges, sameImage } from '../../../core/ban/from-change.js';

const BUSYBOX = 'docker.io/library/busybox';
const sub = (from: string, to: string) => ({ from, to, rule: 'ban ban-1' });

describe('sameImage', () => {
  it('matches a short name to its normalised form', () =>
    expect(sameImage('busybox:1.36.0', `${BUSYBOX}:1.36.0`)).toBe(true));
  it('does not match another tag', () =>
    expect(sameImage('busybox:1.36.1', `${BUSYBOX}:1.36.0`)).toBe(false));
  it('takes no tag as latest', () => expect(sameImage('busybox', `${BUSYBOX}:latest`)).toBe(true));
  it('matches a pinned digest', () =>
    expect(sameImage(`busybox@sha256:${'a'.repeat(64)}`, `${BUSYBOX}@sha256:${'a'.repeat(64)}`)).toBe(true));
  it('does not match another repository', () =>
    expect(sameImage('alpine:1.36.0', `${BUSYBOX}:1.36.0`)).toBe(false));
  it('does not match a reference that does not parse', () =>
    expect(sameImage('${BASE}', `${BUSYBOX}:1.36.0`)).toBe(false));
});

describe('fromChange', () => {
  it('is a one-line unified diff keeping flags and the stage name', () => {
    const text = 'ARG X=1\nFROM --platform=linux/amd64 busybox:1.36.0 AS build\nRUN true\n';
    expect(fromChange('web/Dockerfile', text, [sub(`${BUSYBOX}:1.36.0`, `${BUSYBOX}:1.36.1`)])).toBe(
      [
        '--- a/web/Dockerfile',
        '+++ b/web/Dockerfile',
        '@@ -2 +2 @@',
        '-FROM --platform=linux/amd64 busybox:1.36.0 AS build',
        `+FROM --platform=linux/amd64 ${BUSYBOX}:1.36.1 AS build`,
      ].join('\n'),
    );
  });

  it('names a base drydock rebuilt by its new tag, not its digest', () => {
    const to = `registry.local/ops/bases:0123456789ab-r1@sha256:${'b'.repeat(64)}`;
    const [change] = fromLineChanges('from registry.local/ops/bases:v1\n', [
      sub('registry.local/ops/bases:v1', to),
    ]);
    expect(change).toEqual({
      line: 1,
      before: 'from registry.local/ops/bases:v1',
      after: 'from registry.local/ops/bases:0123456789ab-r1',
    });
  });

  it('changes every stage built on the banned image and no other', () => {
    const text = 'FROM busybox:1.36.0 AS a\nFROM alpine:3.20\nFROM busybox:1.36.0\n';
    expect(fromLineChanges(text, [sub(`${BUSYBOX}:1.36.0`, `${BUSYBOX}:1.36.1`)]).map((c) => c.line)).toEqual(
      [1, 3],
    );
  });

  it('is undefined when no FROM line names the image (an ARG, a continuation)', () => {
    expect(
      fromChange('Dockerfile', 'ARG B=busybox:1.36.0\nFROM ${B}\n', [
        sub(`${BUSYBOX}:1.36.0`, `${BUSYBOX}:1.36.1`),
      ]),
    ).toBeUndefined();
  });

  it('keeps a hostile line to one line of bounded length', () => {
    const text = `FROM busybox:1.36.0 AS x\u001b[2J${'y'.repeat(5000)}\rFAKE\n`;
    const diff = fromChange('Dockerfile', text, [sub(`${BUSYBOX}:1.36.0`, `${BUSYBOX}:1.36.1`)]) ?? '';
    expect(diff.split('\n')).toHaveLength(5);
    expect(diff).not.toContain('\u001b');
    expect(diff.length).toBeLessThan(800);
  });
});
