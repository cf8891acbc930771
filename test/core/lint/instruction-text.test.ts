import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { createContext } from '../../../core/lint/context.js';
import { matchInstruction, scanTexts, type TextCheck } from '../../../core/lint/instruction-text.js';

const GPG_OFF: TextCheck[] = [{ pattern: /gpgcheck=0/, why: (m) => `found ${m[0]}` }];

const scan = (text: string) =>
  scanTexts(createContext(parseDockerfile(text).model, {})('t'), GPG_OFF, ['RUN']).map((f) => f.loc);

describe('matchInstruction', () => {
  it('gives the line and column of a match on a continuation line', () => {
    const { model } = parseDockerfile('FROM x\nRUN a \\\n  && echo gpgcheck=0 > f');
    const inst = model.instructions[1]!;
    expect(matchInstruction(model, inst, /gpgcheck=0/).map((m) => m.loc)).toEqual([{ line: 3, column: 11 }]);
  });
  it('skips comment lines inside the instruction', () => {
    const { model } = parseDockerfile('FROM x\nRUN a \\\n  # gpgcheck=0\n  && b');
    expect(matchInstruction(model, model.instructions[1]!, /gpgcheck=0/)).toEqual([]);
  });
});

describe('scanTexts', () => {
  it('finds settings in ENV and ARG values', () => {
    expect(scan('FROM x\nARG A=gpgcheck=0\nENV B gpgcheck=0')).toEqual([
      { line: 2, column: 5 },
      { line: 3, column: 5 },
    ]);
  });
  it('finds settings in COPY heredoc bodies', () => {
    expect(scan('FROM x\nCOPY <<EOF /etc/yum.repos.d/x.repo\ngpgcheck=0\nEOF')).toEqual([
      { line: 3, column: 1 },
    ]);
  });
  it('ignores the text a sed edit replaces and reports the text it writes', () => {
    expect(scan('FROM x\nRUN sed -i "s/gpgcheck=0/gpgcheck=1/" f')).toEqual([]);
    expect(scan('FROM x\nRUN sed -i "s/gpgcheck=1/gpgcheck=0/" f')).toHaveLength(1);
  });
  it('ignores settings a grep only searches for', () => {
    expect(scan('FROM x\nRUN grep -q gpgcheck=0 f || true')).toEqual([]);
  });
  it('leaves instructions of other keywords alone', () => {
    expect(scan('FROM x\nLABEL note="gpgcheck=0"')).toEqual([]);
  });
  it('runs a check only on text holding one of its keywords', () => {
    const gated: TextCheck[] = [{ pattern: /gpgcheck=0/, why: () => 'found', keywords: ['GPGCHECK'] }];
    const elsewhere: TextCheck[] = [{ pattern: /gpgcheck=0/, why: () => 'found', keywords: ['sslverify'] }];
    const ctx = createContext(
      parseDockerfile('FROM x\nRUN echo gpgcheck=0 > /etc/yum.conf\nENV A=gpgcheck=0').model,
      {},
    )('t');
    expect(scanTexts(ctx, gated, ['RUN'])).toHaveLength(2);
    expect(scanTexts(ctx, elsewhere, ['RUN'])).toEqual([]);
  });
});
