import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isScalar, isSeq, type Node, type Pair, parseDocument, Scalar, YAMLSeq } from 'yaml';
import type { PolicyBan } from '../ports/policy-store.js';
import { parsePolicy } from './parse-policy.js';
import type { Policy } from './schema.js';

/** A ban as `drydock ban` writes it into the policy: the entry, its id, who published it and when. */
export type WrittenBan = PolicyBan & { readonly by: string; readonly at: string };

const BANNED_COMMENT =
  '# Bans published with drydock ban (lift one with drydock unban ID); hand-written entries need no id.';

// Rendering options that reproduce the text a person wrote: no folding of long lines, flow lists as `[a, b]`.
const RENDER = { lineWidth: 0, flowCollectionPadding: false } as const;

/**
 * Adds the ban to the policy text's `banned` list as one entry (`image`, `reason`, `replacement`, `id`, `by`,
 * `at`), leaving every comment and every other line as written; text that already holds the ban's id comes back
 * unchanged. Throws `PolicyValidationError` when the text, or the text with the ban, is not a valid policy (a
 * replacement the whitelist does not allow, say).
 */
export function addBanToPolicyText(text: string, ban: WrittenBan, source?: string): string {
  const before = parsePolicy(text, source);
  if (before.banned.some((entry) => entry.id === ban.banId)) return text;
  const entry = {
    image: ban.image,
    reason: ban.reason,
    ...(ban.replacement !== undefined ? { replacement: ban.replacement } : {}),
    id: ban.banId,
    by: ban.by,
    at: ban.at,
  };
  // The entry as the schema reads it, to check the edit changed nothing else.
  const expected = parsePolicy(addByDocument(text, entry), source);
  const edited = addByLines(text, entry);
  return edited !== undefined && sameExcept(edited, expected, source) ? edited : addByDocument(text, entry);
}

/**
 * Removes the `banned` entries whose `id` is `banId` from the policy text, leaving every comment and every other
 * line as written; text with no such entry comes back unchanged.
 */
export function removeBanFromPolicyText(text: string, banId: string, source?: string): string {
  const before = parsePolicy(text, source);
  if (!before.banned.some((entry) => entry.id === banId)) return text;
  const expected: Policy = { ...before, banned: before.banned.filter((entry) => entry.id !== banId) };
  const edited = removeByLines(text, banId);
  if (edited !== undefined && sameExcept(edited, expected, source)) return edited;
  const doc = parseDocument(text);
  const list = bannedPair(doc)?.value;
  if (isSeq(list))
    list.items = list.items.filter((item) => !(isMap(item) && scalarValue(item.get('id', true)) === banId));
  const result = doc.toString(RENDER);
  parsePolicy(result, source);
  return result;
}

// The whole document re-rendered with the entry added: always right, but a re-render may reflow folded text.
function addByDocument(text: string, entry: Record<string, string>): string {
  const doc = parseDocument(text);
  const node = entryNode(doc, entry);
  const existing = bannedPair(doc);
  if (existing && isSeq(existing.value)) {
    if (existing.value.items.length === 0) existing.value.flow = false;
    existing.value.items.push(node);
  } else {
    const list = new YAMLSeq();
    list.items.push(node);
    if (!isMap(doc.contents)) throw new Error('a valid policy is a map');
    doc.contents.items.push(doc.createPair('banned', list) as (typeof doc.contents.items)[number]);
  }
  return doc.toString(RENDER);
}

// The entry's lines spliced into the text: every other byte stays as written. Undefined where the shape of the
// text is not one this handles (flow maps, flow lists), for the document edit to do instead.
function addByLines(text: string, entry: Record<string, string>): string | undefined {
  const doc = parseDocument(text);
  if (!isMap(doc.contents) || doc.contents.flow) return undefined;
  const pair = bannedPair(doc);
  if (pair) {
    const list = pair.value;
    if (!isSeq(list) || list.flow || list.items.length === 0 || !list.range) return undefined;
    const first = list.items[0] as Node;
    if (!first.range) return undefined;
    const indent = lineIndent(text, first.range[0]);
    const at = lineEndAfter(text, list.range[1]);
    return `${withNewline(text.slice(0, at))}${renderItem(entry, indent)}${text.slice(at)}`;
  }
  const allowed = doc.contents.items.find((p) => scalarValue(p.key) === 'allowed');
  const value = allowed?.value as Node | undefined;
  const at = value?.range ? lineEndAfter(text, value.range[1]) : text.length;
  const block = `\n${BANNED_COMMENT}\nbanned:\n${renderItem(entry, '  ')}`;
  return `${withNewline(text.slice(0, at))}${block}${text.slice(at)}`;
}

function removeByLines(text: string, banId: string): string | undefined {
  const doc = parseDocument(text);
  if (!isMap(doc.contents) || doc.contents.flow) return undefined;
  const pair = bannedPair(doc);
  const list = pair?.value;
  if (!pair || !isSeq(list) || list.flow || !list.range || !isScalar(pair.key) || !pair.key.range)
    return undefined;
  const doomed = list.items.filter(
    (item) => isMap(item) && scalarValue(item.get('id', true)) === banId,
  ) as Node[];
  if (doomed.length === list.items.length) {
    // Every entry goes: the key goes too, with the comment drydock wrote above it.
    let start = lineStart(text, pair.key.range[0]);
    const end = lineEndAfter(text, list.range[1]);
    const commentAt = lineStart(text, start - 1);
    if (start > 0 && text.slice(commentAt, start - 1) === BANNED_COMMENT) {
      start = commentAt;
      if (start > 0 && text.slice(lineStart(text, start - 1), start - 1).trim() === '')
        start = lineStart(text, start - 1);
    }
    return text.slice(0, start) + text.slice(end);
  }
  let out = text;
  for (const item of [...doomed].reverse()) {
    if (!item.range) return undefined;
    out = out.slice(0, lineStart(out, item.range[0])) + out.slice(lineEndAfter(out, item.range[1]));
  }
  return out;
}

function sameExcept(edited: string, expected: Policy, source: string | undefined): boolean {
  try {
    return isDeepStrictEqual(parsePolicy(edited, source), expected);
  } catch {
    return false;
  }
}

function renderItem(entry: Record<string, string>, indent: string): string {
  const doc = new Document();
  doc.contents = new YAMLSeq();
  (doc.contents as YAMLSeq).items.push(entryNode(doc, entry));
  const lines = doc.toString(RENDER).replace(/\n$/, '').split('\n');
  return `${lines.map((line) => `${indent}${line}`).join('\n')}\n`;
}

function entryNode(doc: Document, entry: Record<string, string>): Node {
  const node = doc.createNode(entry);
  // Quoted so that no YAML schema (a `%YAML 1.1` directive reads timestamps) turns these into anything but text.
  for (const key of ['id', 'at']) {
    const scalar = node.get(key, true);
    if (isScalar(scalar)) scalar.type = Scalar.QUOTE_DOUBLE;
  }
  return node;
}

function bannedPair(doc: Document): Pair | undefined {
  if (!isMap(doc.contents)) return undefined;
  return doc.contents.items.find((pair) => scalarValue(pair.key) === 'banned') as Pair | undefined;
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

// The offset just past the line that holds `offset - 1` (a node's value ends there; a trailing comment may follow).
function lineEndAfter(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

function lineIndent(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^ */.exec(text.slice(start))?.[0] ?? '';
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
