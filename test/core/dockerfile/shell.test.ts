import { describe, expect, it } from 'vitest';
import type { Command } from '../../../core/dockerfile/model.js';
import { parseShell, parseShellWithMvdan, type ScriptOrigin } from '../../../core/dockerfile/shell.js';
import { SourceMap } from '../../../core/dockerfile/source-map.js';

// A small deterministic generator, so a failure names a script that can be replayed.
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const NAMES = [
  'apt-get',
  'echo',
  'ls',
  '/usr/bin/env',
  'if',
  'time',
  'let',
  'export',
  'A=1',
  'sh',
  'bash',
  'x.y',
  '9',
];
const PLAIN = 'abcXYZ09_./:,@%+^-=';
// Characters that make a script more than plain words: each must leave the command as mvdan/sh reads it.
const SPECIAL = [
  '"',
  "'",
  '$',
  '\\',
  '|',
  '&',
  ';',
  '<',
  '>',
  '(',
  ')',
  '*',
  '?',
  '[',
  '#',
  '{',
  '}',
  '~',
  '!',
  '\n',
  'é',
  '`',
];

function script(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const words = [pick(NAMES)];
  const n = Math.floor(next() * 5);
  for (let i = 0; i < n; i++) {
    let w = '';
    const len = 1 + Math.floor(next() * 6);
    for (let k = 0; k < len; k++) w += next() < 0.05 ? pick(SPECIAL) : pick([...PLAIN]);
    words.push(next() < 0.1 ? pick(['-c', '-ec', 'update', 'in']) : w);
  }
  const gap = () => pick([' ', '  ', '\t']);
  return (next() < 0.3 ? gap() : '') + words.join(gap()) + (next() < 0.3 ? gap() : '');
}

describe('parseShell of a plain simple command', () => {
  it('gives the same commands as the mvdan/sh path for generated scripts', () => {
    const next = rng(7);
    let plain = 0;
    for (let i = 0; i < 600; i++) {
      const text = script(next);
      const doc = `RUN ${text}`;
      const map = new SourceMap(doc);
      const parent = { name: 'sh' } as Command;
      const origins: ScriptOrigin[] = [
        { map, offset: 4, fallback: 4, context: 'run' },
        { map, offset: -1, fallback: 0, context: 'sh-c', parent },
        { map, offset: 4, fallback: 4, context: 'heredoc', remap: (at) => at + 4 },
      ];
      for (const origin of origins) {
        const fast = parseShell(text, origin, { value: 3 }, 2);
        const slow = parseShellWithMvdan(text, origin, { value: 3 }, 2);
        expect(fast, JSON.stringify(text)).toEqual(slow);
      }
      if (/^[ \t]*[^"'$\\|&;<>()*?[#{}~!\n`é]*$/.test(text)) plain++;
    }
    // The generator must exercise the fast path, not only the fallback.
    expect(plain).toBeGreaterThan(200);
  });

  it('builds the command with its words, position and no syntax kept', () => {
    const map = new SourceMap('FROM x\nRUN  apt-get update -y');
    const s = parseShell('apt-get update -y', { map, offset: 12, fallback: 12, context: 'run' });
    expect(s.commands).toHaveLength(1);
    expect(s.commands[0]).toMatchObject({ name: 'apt-get', args: ['update', '-y'], start: 12, end: 29 });
    expect(s.commands[0]?.loc).toEqual({ line: 2, column: 6 });
  });

  it('leaves clauses, assignments and sh -c to mvdan/sh', () => {
    const map = new SourceMap('x');
    const origin: ScriptOrigin = { map, offset: 0, fallback: 0, context: 'run' };
    expect(parseShell('A=1 env', origin).commands[0]).toMatchObject({ name: 'env', assigns: ['A=1'] });
    expect(parseShell('export A=1', origin).commands[0]).toMatchObject({ name: 'export', args: ['A=1'] });
    expect(parseShell('time curl x', origin).commands[0]).toMatchObject({ name: 'curl' });
    expect(parseShell('sh -c reboot', origin).commands.map((c) => c.name)).toEqual(['sh', 'reboot']);
  });
});
