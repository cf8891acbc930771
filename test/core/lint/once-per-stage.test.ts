import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { createContext } from '../../../core/lint/context.js';
import { laterDuplicates } from '../../../core/lint/once-per-stage.js';

const lines = (text: string, keyword: string) =>
  laterDuplicates(createContext(parseDockerfile(text).model, {})('t'), keyword).map(([later, first]) => [
    later.loc.line,
    first.loc.line,
  ]);

describe('laterDuplicates', () => {
  it('pairs every later instruction of a stage with the first one', () => {
    expect(lines('FROM debian:12\nCMD ["a"]\nCMD ["b"]\nCMD ["c"]', 'CMD')).toEqual([
      [3, 2],
      [4, 2],
    ]);
  });

  it('counts each stage on its own', () => {
    expect(lines('FROM debian:12 AS a\nCMD ["a"]\nFROM a\nCMD ["b"]', 'CMD')).toEqual([]);
    expect(
      lines(
        'FROM debian:12 AS a\nENTRYPOINT ["a"]\nFROM a\nENTRYPOINT ["b"]\nENTRYPOINT ["c"]',
        'ENTRYPOINT',
      ),
    ).toEqual([[5, 4]]);
  });

  it('counts ONBUILD triggers apart from the instructions of the stage', () => {
    expect(lines('FROM debian:12\nHEALTHCHECK NONE\nONBUILD HEALTHCHECK NONE', 'HEALTHCHECK')).toEqual([]);
    expect(
      lines(
        'FROM debian:12\nONBUILD HEALTHCHECK NONE\nHEALTHCHECK NONE\nONBUILD HEALTHCHECK NONE',
        'HEALTHCHECK',
      ),
    ).toEqual([[4, 2]]);
  });

  it('reads only the keyword asked for', () => {
    expect(lines('FROM debian:12\nCMD ["a"]\nENTRYPOINT ["b"]\nHEALTHCHECK NONE', 'CMD')).toEqual([]);
  });
});
