import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { externalImages } from '../../core/dockerfile/image-uses.js';
import { parseDockerfile } from '../../core/dockerfile/parse.js';
import { PolicyValidationError } from '../../core/errors.js';
import { gateDefinition } from '../../core/gate/gate-definition.js';
import { lintText } from '../../core/lint/engine.js';
import { parsePolicy } from '../../core/policy/parse-policy.js';

const root = join(import.meta.dirname, '../..');
const seeds = ['examples/payments-api/Dockerfile', 'examples/legacy-worker/Dockerfile']
  .map((p) => readFileSync(join(root, p), 'utf8'))
  .concat(
    readdirSync(join(root, 'bench/corpus'), { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.Dockerfile'))
      .slice(0, 40)
      .map((e) => readFileSync(join(root, 'bench/corpus', e.name), 'utf8')),
  );

const KEYWORDS = [
  'FROM',
  'RUN',
  'COPY',
  'ADD',
  'ENV',
  'ARG',
  'USER',
  'ONBUILD',
  'CMD',
  'ENTRYPOINT',
  'SHELL',
  'LABEL',
  'EXPOSE',
  'HEALTHCHECK',
  'WORKDIR',
  'VOLUME',
];
const FRAGMENTS = [
  '\\\n',
  '<<EOF\n',
  '\nEOF\n',
  '"',
  "'",
  '$(',
  '${',
  '`',
  '|',
  '&&',
  '# hadolint ignore=',
  '[',
  ']',
  '--mount=',
  '--from=',
  ' AS ',
  '\r\n',
  '\t',
  'é',
  '\u0000',
];

/** Arbitrary edits of a real Dockerfile: delete, insert noise, duplicate or swap a slice. */
const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.nat({ max: 40 }),
        fc.oneof(fc.constantFrom(...FRAGMENTS, ...KEYWORDS), fc.string({ maxLength: 8 })),
      ),
      { maxLength: 6 },
    ),
  )
  .map(([text, edits]) => {
    let t = text;
    for (const [pos, len, insert] of edits) {
      const at = t.length === 0 ? 0 : pos % t.length;
      t = t.slice(0, at) + insert + t.slice(at + len);
    }
    return t;
  });

const lineSoup = fc
  .array(
    fc.tuple(
      fc.constantFrom(...KEYWORDS),
      fc.array(fc.constantFrom(...FRAGMENTS, 'x', 'a=b', 'node:20', '-y'), { maxLength: 6 }),
    ),
    { maxLength: 12 },
  )
  .map((lines) => lines.map(([k, parts]) => `${k} ${parts.join(' ')}`).join('\n'));

const policyText = readFileSync(join(root, 'examples/policy.yaml'), 'utf8');
const policy = parsePolicy(policyText, 'examples/policy.yaml');

function survives(text: string): void {
  const findings = lintText(text, 'Dockerfile');
  // The engine turns a crashing rule into DD003 instead of throwing, so a crash must be looked for.
  expect(findings.filter((f) => f.code === 'DD003')).toEqual([]);
  for (const f of findings) {
    expect(f.line).toBeGreaterThanOrEqual(1);
    expect(f.column).toBeGreaterThanOrEqual(1);
    expect(f.message.length).toBeGreaterThan(0);
  }
  externalImages(parseDockerfile(text).model, { TAG: '1' });
  // The gate runs parser, rules and policy together, including the substitution rewrite.
  const verdict = gateDefinition({
    text,
    file: 'Dockerfile',
    project: 'p',
    policy,
    now: new Date('2026-11-27T00:00:00Z'),
  });
  expect(typeof verdict.passed).toBe('boolean');
}

describe('robustness (property-based)', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (t) => survives(t)),
      { numRuns: 300 },
    );
  });

  it('never throws on keyword soup', () => {
    fc.assert(
      fc.property(lineSoup, (t) => survives(t)),
      { numRuns: 300 },
    );
  });

  it('never throws on mutated real Dockerfiles', () => {
    fc.assert(
      fc.property(mutated, (t) => survives(t)),
      { numRuns: 400 },
    );
  });

  it('rejects arbitrary and mutated policy documents only with a PolicyValidationError', () => {
    const mutatedPolicy = fc
      .tuple(
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 30 }), fc.string({ maxLength: 12 })), { maxLength: 5 }),
      )
      .map(([edits]) => {
        let t = policyText;
        for (const [pos, len, insert] of edits) {
          const at = pos % t.length;
          t = t.slice(0, at) + insert + t.slice(at + len);
        }
        return t;
      });
    fc.assert(
      fc.property(fc.oneof(mutatedPolicy, fc.string({ maxLength: 300 })), (text) => {
        try {
          parsePolicy(text, 'p.yaml');
        } catch (err) {
          expect(err).toBeInstanceOf(PolicyValidationError);
        }
      }),
      { numRuns: 400 },
    );
  });
});
