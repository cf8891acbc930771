import { describe, expect, it } from 'vitest';
import { defineRule } from '../../core/lint/rule.js';
import { assertCatches, assertPasses, findingsOf } from './rule-cases.js';

const throwing = defineRule({
  id: 'DD990',
  level: 'error',
  title: 'A rule that throws',
  rationale: 'Test only.',
  check: () => {
    throw new Error('boom');
  },
});

const everyRun = defineRule({
  id: 'DD991',
  level: 'warning',
  title: 'Every RUN',
  rationale: 'Test only.',
  check: (ctx) => ctx.of('RUN').map((i) => ctx.finding(i)),
});

const copiedSshd = defineRule({
  id: 'DD992',
  level: 'warning',
  title: 'A copied file says yes',
  rationale: 'Test only.',
  check: (ctx) =>
    ctx
      .copiedFiles()
      .filter((f) => f.content?.includes('yes'))
      .map((f) => ctx.finding(f.instruction)),
});

describe('rule cases', () => {
  it('a rule that throws fails passes(): its DD003 is not "no finding"', () => {
    expect(() => assertPasses(throwing, 'FROM alpine:3.19\nRUN true\n')).toThrow(/DD003 rule DD990 failed/);
  });

  it('a rule that throws fails catches() too', () => {
    expect(() => assertCatches(throwing, 'FROM alpine:3.19\nRUN true\n')).toThrow(/DD003/);
  });

  it('a RUN the shell parser cannot read (DD001) fails passes(): no shell rule looked at it', () => {
    const quiet = defineRule({ ...everyRun, id: 'DD993', check: () => [] });
    expect(() => assertPasses(quiet, 'FROM alpine:3.19\nRUN echo "$(\n')).toThrow(/DD001/);
    expect(() => assertPasses(quiet, 'FROM alpine:3.19\nRUN echo "$(true)"\n')).not.toThrow();
  });

  it('a file the rule judged passes and catches as before', () => {
    expect(() => assertPasses(everyRun, 'FROM alpine:3.19\nUSER app\n')).not.toThrow();
    expect(() => assertCatches(everyRun, 'FROM alpine:3.19\nRUN true\n', { line: 2 })).not.toThrow();
    expect(() => assertCatches(everyRun, 'FROM alpine:3.19\nUSER app\n')).toThrow(/expected DD991 to catch/);
    expect(() => assertCatches(everyRun, 'FROM alpine:3.19\nRUN true\n', { line: 1 })).toThrow();
  });

  it('context files reach the rule', () => {
    const file = 'FROM alpine:3.19\nCOPY sshd_config /etc/ssh/sshd_config\n';
    expect(() => assertPasses(copiedSshd, file)).not.toThrow();
    const contextFiles = new Map([['sshd_config', 'PermitRootLogin yes\n']]);
    expect(() => assertCatches(copiedSshd, file, { contextFiles })).not.toThrow();
    expect(() => assertPasses(copiedSshd, file, { contextFiles })).toThrow(/expected DD992 not to catch/);
  });

  it('findingsOf still returns the rule’s own findings only', () => {
    expect(findingsOf('DL3007', 'FROM debian:latest\n').map((f) => f.code)).toEqual(['DL3007']);
  });
});
