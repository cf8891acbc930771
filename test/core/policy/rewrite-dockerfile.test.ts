import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalImages } from '../../../core/dockerfile/image-uses.js';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { DrydockError } from '../../../core/errors.js';
import { evaluateImage } from '../../../core/policy/evaluate-image.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import { rewriteDockerfile } from '../../../core/policy/rewrite-dockerfile.js';
import type { BaseVerdict, ImageUse } from '../../../core/policy/verdict.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/policy/${name}`, import.meta.url));
const policy = parsePolicy(fixture('valid/evaluation.yaml').toString('utf8'));
const now = new Date('2026-05-01T00:00:00Z');

function substituted(
  source: string,
  written: string,
  to: string,
  occurrence = 0,
  withWritten = true,
): BaseVerdict {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = source.indexOf(written, start + 1);
  const use: ImageUse = {
    text: written,
    kind: 'from',
    line: 1,
    column: 1,
    start,
    end: start + written.length,
    ...(withWritten ? { written } : {}),
  };
  return { outcome: 'substituted', use, from: written, to, why: 'test', rule: 'substitutions[0]' };
}

const expectCode = (run: () => unknown, code: string) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DrydockError);
    expect((error as DrydockError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
};

describe('rewriteDockerfile', () => {
  it.each(['heredoc', 'crlf'])(
    'rewrites the %s fixture byte for byte, heredoc text and ARG default untouched',
    (name) => {
      const source = fixture(`dockerfiles/${name}.Dockerfile`).toString('utf8');
      const { model } = parseDockerfile(source);
      const verdicts = externalImages(model).images.map((use) =>
        evaluateImage(use, policy, { project: 'payments', now }),
      );
      expect(verdicts.map((v) => v.outcome)).toEqual([
        'substituted',
        'substituted',
        'substituted',
        'substituted',
        'allowed',
      ]);
      const rewritten = Buffer.from(rewriteDockerfile(source, verdicts), 'utf8');
      expect(rewritten.equals(fixture(`dockerfiles/${name}.expected.Dockerfile`))).toBe(true);
    },
  );

  it('returns the source unchanged when nothing is substituted', () => {
    const source = 'FROM node:20\r\nRUN echo hi\n';
    const allowed = evaluateImage(
      { text: 'node:20', kind: 'from', line: 1, column: 6, start: 5, end: 12 },
      policy,
      { project: 'p', now },
    );
    expect(rewriteDockerfile(source, [allowed])).toBe(source);
  });

  it('replaces only the given range, not other copies of the same text', () => {
    const source = 'FROM node:18\n# node:18 stays in this comment\nFROM node:18 AS two\n';
    const verdict = substituted(source, 'node:18', 'docker.io/library/node:20', 2);
    expect(rewriteDockerfile(source, [verdict])).toBe(
      'FROM node:18\n# node:18 stays in this comment\nFROM docker.io/library/node:20 AS two\n',
    );
  });

  it('applies edits given in any order', () => {
    const source = 'FROM a:1\nFROM b:1\n';
    const a = substituted(source, 'a:1', 'a:2');
    const b = substituted(source, 'b:1', 'b:22');
    expect(rewriteDockerfile(source, [b, a])).toBe('FROM a:2\nFROM b:22\n');
  });

  it('applies one edit once when the same verdict comes twice', () => {
    const source = 'FROM a:1\n';
    const a = substituted(source, 'a:1', 'a:2');
    expect(rewriteDockerfile(source, [a, a])).toBe('FROM a:2\n');
  });

  it('refuses a reference whose position is unknown', () => {
    const verdict = substituted('FROM a:1', 'zzz', 'a:2', 0, false);
    expectCode(() => rewriteDockerfile('FROM a:1', [verdict]), 'REWRITE_UNLOCATED');
  });

  it('refuses a range that no longer holds the written reference', () => {
    const verdict = substituted('FROM a:1', 'a:1', 'a:2');
    expectCode(() => rewriteDockerfile('FROM b:1', [verdict]), 'REWRITE_STALE');
  });

  it('refuses a range past the end of the source', () => {
    const verdict = substituted('FROM a:1\nFROM b:1', 'b:1', 'b:2', 0, false);
    expectCode(() => rewriteDockerfile('FROM a:1', [verdict]), 'REWRITE_RANGE_INVALID');
  });

  it('refuses overlapping ranges', () => {
    const source = 'FROM abc:1\n';
    const whole = substituted(source, 'abc:1', 'x:1');
    const part = substituted(source, 'bc:1', 'y:1');
    expectCode(() => rewriteDockerfile(source, [whole, part]), 'REWRITE_OVERLAP');
  });
});
