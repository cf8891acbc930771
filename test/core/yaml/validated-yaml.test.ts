import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  type DocumentRules,
  formatPath,
  parsePath,
  parseValidatedYaml,
  type Validated,
  validateValue,
} from '../../../core/yaml/validated-yaml.js';

const Schema = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(['a', 'b']).optional(),
  items: z.array(z.strictObject({ tags: z.array(z.string()), on: z.boolean().optional() })).default([]),
});
type Doc = z.infer<typeof Schema>;

const rules: DocumentRules<Doc> = { schema: Schema, emptyMessage: 'the document is empty' };

function issuesOf(result: Validated<unknown>): string[] {
  if (result.ok) throw new Error('expected the document to be refused');
  return result.issues.map((i) => `${i.line ?? '-'}:${i.column ?? '-'} ${i.path}: ${i.message}`);
}

describe('parseValidatedYaml', () => {
  it('returns the parsed value with the schema defaults', () => {
    expect(parseValidatedYaml('name: x\n', rules)).toEqual({ ok: true, value: { name: 'x', items: [] } });
  });

  it('places a YAML syntax error at its line and column, with no path', () => {
    expect(issuesOf(parseValidatedYaml('name: x\nitems: [\n', rules))).toEqual([
      expect.stringMatching(/^3:1 : YAML syntax: /),
    ]);
    expect(issuesOf(parseValidatedYaml('name: x\nname: y\n', rules))).toEqual([
      '2:1 : YAML syntax: Map keys must be unique',
    ]);
  });

  it('refuses an alias bomb instead of expanding it, keeping the error as the cause', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      levels.push(
        `${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(10)
          .fill(`*${'abcdefgh'[i - 1]}`)
          .join(', ')}]`,
      );
    const result = parseValidatedYaml(`${levels.join('\n')}\n`, rules);
    expect(issuesOf(result)).toEqual([expect.stringMatching(/^-:- : YAML: .*alias/i)]);
    expect(result.ok ? undefined : result.cause).toBeInstanceOf(Error);
  });

  it('reports an empty document with the given message', () => {
    expect(issuesOf(parseValidatedYaml('', rules))).toEqual(['-:- : the document is empty']);
    expect(issuesOf(parseValidatedYaml('~\n', rules))).toEqual(['-:- : the document is empty']);
  });

  it('splits unrecognized keys into one issue per key, located at the key', () => {
    expect(issuesOf(parseValidatedYaml('name: x\nnmae: y\nextra:\n  deep: 1\n', rules))).toEqual([
      '2:1 nmae: unknown key "nmae"',
      '3:1 extra: unknown key "extra"',
    ]);
  });

  it('locates an unknown key at its value when asked, and appends the note', () => {
    const atValue: DocumentRules<Doc> = {
      ...rules,
      unknownKeys: { locateAt: 'value', note: (key) => (key === 'extra' ? ' (not supported)' : '') },
    };
    expect(issuesOf(parseValidatedYaml('name: x\nextra:\n  deep: 1\n', atValue))).toEqual([
      '3:3 extra: unknown key "extra" (not supported)',
    ]);
  });

  it('shows a problem under a key written without a value at the key', () => {
    const text = 'items:\n  - ? tags\n';
    expect(issuesOf(parseValidatedYaml(text, rules))).toEqual([
      '1:1 name: is required',
      '2:7 items[0].tags: must be a list, not null',
    ]);
  });

  it('cuts a huge unknown key short in the path only when asked', () => {
    const key = 'k'.repeat(100);
    const short = { ...rules, unknownKeys: { excerptInPath: true } };
    expect(issuesOf(validateValue({ name: 'x', [key]: 1 }, short))).toEqual([
      `-:- ${'k'.repeat(80)}…: unknown key "${'k'.repeat(80)}…" (100 characters)`,
    ]);
    expect(issuesOf(validateValue({ name: 'x', [key]: 1 }, rules))[0]).toContain(`${key}: unknown key`);
  });

  it('names nested paths and the deepest node that exists', () => {
    const text = 'name: x\nitems:\n  - tags: [a, b]\n  - tags: [a, 7]\n    on: "yes"\n  - {}\n';
    expect(issuesOf(parseValidatedYaml(text, rules))).toEqual([
      '4:15 items[1].tags[1]: must be a string, not the number 7',
      '5:9 items[1].on: must be true or false, not the string "yes"',
      '6:5 items[2].tags: is required',
    ]);
  });

  it('words wrong types, empty values and unknown choices', () => {
    expect(issuesOf(parseValidatedYaml('name: ""\nkind: c\nitems: {}\n', rules))).toEqual([
      '1:7 name: must not be empty',
      '2:7 kind: must be "a" or "b"',
      '3:8 items: must be a list, not a mapping',
    ]);
    expect(issuesOf(parseValidatedYaml('- 1\n', rules))).toEqual(['1:1 : must be a mapping, not a list']);
  });

  it('lets a document kind describe wrong scalars and add a note to a choice', () => {
    const own: DocumentRules<Doc> = {
      ...rules,
      describeScalar: (value) => `${typeof value} ${JSON.stringify(String(value))}`,
      invalidValueNote: (input) => (typeof input === 'number' ? ' (quote it)' : ''),
    };
    expect(issuesOf(parseValidatedYaml('name: 5\nkind: 2.0\n', own))).toEqual([
      '1:7 name: must be a string, not number "5"',
      '2:7 kind: must be "a" or "b" (quote it)',
    ]);
  });

  it('runs the semantic checks only once the schema passes, and locates their paths', () => {
    const semantic: DocumentRules<Doc> = {
      ...rules,
      semanticIssues: (doc) =>
        doc.items.flatMap((item, i) =>
          item.tags.length > 1 ? [{ path: `items[${i}].tags[1]`, message: 'one tag' }] : [],
        ),
    };
    expect(issuesOf(parseValidatedYaml('name: x\nitems:\n  - tags: [a, b]\n', semantic))).toEqual([
      '3:15 items[0].tags[1]: one tag',
    ]);
    expect(issuesOf(parseValidatedYaml('name: 1\nitems:\n  - tags: [a, b]\n', semantic))).toEqual([
      '1:7 name: must be a string, not the number 1',
    ]);
  });
});

describe('validateValue', () => {
  it('names field paths without lines for a value that did not come from text', () => {
    expect(issuesOf(validateValue({ items: [{ tags: [1] }] }, rules))).toEqual([
      '-:- name: is required',
      '-:- items[0].tags[0]: must be a string, not the number 1',
    ]);
  });
});

describe('formatPath and parsePath', () => {
  it('write and read paths like allowed[2].tags[0]', () => {
    expect(formatPath(['allowed', 2, 'tags', 0])).toBe('allowed[2].tags[0]');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(parsePath('allowed[2].tags[0]')).toEqual(['allowed', 2, 'tags', 0]);
  });
});
