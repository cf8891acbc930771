import { describe, expect, it } from 'vitest';
import type { Instruction } from '../../../core/dockerfile/model.js';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { expandText, expandWord, variablesOf } from '../../../core/lint/build-variables.js';

/** Expands `text` as written at the file's last instruction. */
function at(dockerfile: string, text: string): string | undefined {
  const { model } = parseDockerfile(dockerfile);
  const last = model.instructions[model.instructions.length - 1] as Instruction;
  return expandText(model, last, text);
}

describe('expandText', () => {
  it('substitutes ENV and ARG values, braces and defaults', () => {
    expect(at('FROM a\nENV V=2.51\nRUN x', 'git-${V}')).toBe('git-2.51');
    expect(at('FROM a\nARG V=1\nRUN x', '/opt/$V/bin')).toBe('/opt/1/bin');
    expect(at('FROM a\nRUN x', '${V:-3}')).toBe('3');
    expect(at('FROM a\nENV V=\nRUN x', '${V:-3}|${V-4}')).toBe('3|');
  });

  it('is undefined for an ARG without a default and for a name the file never sets', () => {
    expect(at('FROM a\nARG V\nRUN x', 'git-$V')).toBeUndefined();
    expect(at('FROM a\nRUN x', '$HOME/x')).toBeUndefined();
  });

  it('takes an ENV set only in an unrelated stage as empty here', () => {
    expect(at('FROM a\nENV D=/x\nFROM b\nRUN x', '/y$D')).toBe('/y');
  });

  it('keeps quote characters of an already unquoted word as text', () => {
    expect(at('FROM a\nENV V=1\nRUN x', `it's-"$V"`)).toBe(`it's-"1"`);
  });

  it('returns text without a reference unchanged', () => {
    expect(at('FROM a\nRUN x', '/usr/local')).toBe('/usr/local');
  });
});

describe('expandWord', () => {
  it('returns a literal word as it is and refuses a command substitution', () => {
    const { model } = parseDockerfile('FROM a\nENV V=1\nRUN x');
    const run = model.instructions[2] as Instruction;
    expect(expandWord(model, run, { value: 'a', literal: true, quoted: false, raw: 'a' })).toBe('a');
    expect(
      expandWord(model, run, { value: '$(id)', literal: false, quoted: false, raw: '$(id)' }),
    ).toBeUndefined();
    expect(expandWord(model, run, { value: 'v$V', literal: false, quoted: false, raw: 'v$V' })).toBe('v1');
  });
});

describe('variablesOf', () => {
  it('is evaluated once per parsed file', () => {
    const { model } = parseDockerfile('FROM a\nENV V=1\nRUN x');
    expect(variablesOf(model)).toBe(variablesOf(model));
  });

  it('gives a CMD the image ENV only, not the stage ARGs', () => {
    const { model } = parseDockerfile('FROM a\nARG A=1\nENV E=2\nCMD x');
    const cmd = model.instructions[3] as Instruction;
    expect(variablesOf(model).runtime(cmd).get('E')).toEqual([{ text: '2' }]);
    expect(variablesOf(model).runtime(cmd).get('A')).toBeUndefined();
    expect(variablesOf(model).build(cmd).get('A')).toEqual([{ text: '1' }]);
  });
});

describe('a fragment without FROM', () => {
  it('expands RUN words with the ENV values before them, as hadolint reads such a file', () => {
    const model = parseDockerfile('ENV version=2.40.1\nRUN yum install -y git-core-${version}\n').model;
    const run = model.instructions[1]!;
    const word = run.shell!.commands[0]!.words.at(-1)!;
    expect(expandWord(model, run, word)).toBe('git-core-2.40.1');
  });
});
