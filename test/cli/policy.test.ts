import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from '../helpers/cli.js';

const root = join(import.meta.dirname, '../..');
const policy = join(root, 'examples/policy.yaml');

describe('drydock policy validate', () => {
  it('accepts a valid document and summarises it', async () => {
    const r = await runCli(['policy', 'validate', policy]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid \(5 allowed, 1 exceptions, 2 banned/);
  });

  it('lists every problem with field path and line, exit 1; unreadable files exit 2', async () => {
    const dir = tempTree({
      'bad.yaml': 'version: 1\nallowed:\n  - image: Node\n    tags: ["20"]\nbanned: oops\n',
    });
    const r = await runCli(['policy', 'validate', '--format', 'json', join(dir, 'bad.yaml')]);
    expect(r.code).toBe(1);
    const [result] = JSON.parse(r.stdout);
    expect(result.valid).toBe(false);
    expect(result.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['allowed[0].image', 'banned']),
    );
    expect(result.issues.find((i: { path: string }) => i.path === 'allowed[0].image')).toMatchObject({
      line: 3,
    });
    const missing = await runCli(['policy', 'validate', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read policy');
  });
});

describe('drydock policy usage', () => {
  it('counts the definitions that use each whitelist entry and flags unused ones', async () => {
    const dir = tempTree({
      'a/Dockerfile': 'FROM node:20-alpine\n',
      'b/Dockerfile': 'FROM node:22\nFROM node:20 AS x\n',
      'c/Dockerfile': 'FROM python:3.12-slim\nCOPY --from=alpine:3.20 /bin/sh /bin/sh\n',
    });
    const r = await runCli(['policy', 'usage', dir, '--policy', policy, '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const uses = Object.fromEntries(
      out.entries.map((e: { image: string; definitions: number }) => [e.image, e.definitions]),
    );
    expect(uses).toMatchObject({
      'docker.io/library/node': 2,
      'docker.io/library/python': 1,
      '127.0.0.1:5000/base/busybox': 0,
    });
    expect(out.notWhitelisted).toEqual([
      expect.objectContaining({ ref: 'docker.io/library/alpine:3.20', definitions: 1 }),
    ]);
    const text = await runCli(['policy', 'usage', dir, '--policy', policy]);
    expect(text.stdout).toMatch(/0 {2}allowed\[0\] +127\.0\.0\.1:5000\/base\/busybox 1\.36\* {2}<- unused/);
  });
});
