import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ApiTokenUnreadableError,
  apiTokenPath,
  ensureApiTokens,
  readApiToken,
  roleOfToken,
} from '../../../runtime/local/api-tokens.js';
import { tempDir } from '../../helpers/temp-dir.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('ensureApiTokens', () => {
  it('makes an ops and a read token, 0600 in a 0700 directory, and keeps them across starts', async () => {
    const state = tempDir('drydock-tokens-');
    const first = await ensureApiTokens(state);
    expect(first.generated).toEqual(['ops', 'read']);
    expect(first.tokens.ops).toMatch(/^drydock_[A-Za-z0-9_-]{43}$/);
    expect(first.tokens.read).not.toBe(first.tokens.ops);
    expect(mode(join(state, 'api'))).toBe(0o700);
    expect(mode(apiTokenPath(state, 'ops'))).toBe(0o600);
    expect(mode(apiTokenPath(state, 'read'))).toBe(0o600);
    expect(readFileSync(apiTokenPath(state, 'ops'), 'utf8')).toBe(`${first.tokens.ops}\n`);
    expect(await ensureApiTokens(state)).toEqual({ tokens: first.tokens, generated: [] });
    expect(await readApiToken(state)).toBe(first.tokens.ops);
    expect(await readApiToken(state, 'read')).toBe(first.tokens.read);
  });

  it('makes a new token when the old one was readable by others', async () => {
    const state = tempDir('drydock-tokens-');
    const { tokens } = await ensureApiTokens(state);
    chmodSync(apiTokenPath(state, 'read'), 0o644);
    const again = await ensureApiTokens(state);
    expect(again.generated).toEqual(['read']);
    expect(again.tokens.ops).toBe(tokens.ops);
    expect(again.tokens.read).not.toBe(tokens.read);
    expect(mode(apiTokenPath(state, 'read'))).toBe(0o600);
  });

  it('makes both anew and closes the directory when the directory was open to others', async () => {
    const state = tempDir('drydock-tokens-');
    const { tokens } = await ensureApiTokens(state);
    chmodSync(join(state, 'api'), 0o755);
    const again = await ensureApiTokens(state);
    expect(again.generated).toEqual(['ops', 'read']);
    expect(again.tokens.ops).not.toBe(tokens.ops);
    expect(mode(join(state, 'api'))).toBe(0o700);
  });

  it('replaces a planted symlink without writing through it', async () => {
    const state = tempDir('drydock-tokens-');
    mkdirSync(join(state, 'api'), { mode: 0o700 });
    const target = join(state, 'elsewhere');
    writeFileSync(target, 'keep me\n');
    symlinkSync(target, apiTokenPath(state, 'ops'));
    const { generated } = await ensureApiTokens(state);
    expect(generated).toContain('ops');
    expect(lstatSync(apiTokenPath(state, 'ops')).isFile()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('keep me\n');
  });
});

describe('readApiToken', () => {
  it('says to restart drydock start when there is no token', async () => {
    const state = tempDir('drydock-tokens-');
    const error = await readApiToken(state).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiTokenUnreadableError);
    expect((error as Error).message).toBe(
      `no API token at ${apiTokenPath(state, 'ops')}: the running drydock start predates API tokens; restart it to create them`,
    );
  });
});

describe('roleOfToken', () => {
  const tokens = { ops: `drydock_${'o'.repeat(43)}`, read: `drydock_${'r'.repeat(43)}` };

  it.each([
    [tokens.ops, 'ops'],
    [tokens.read, 'read'],
    [`drydock_${'x'.repeat(43)}`, undefined],
    [tokens.ops.slice(0, -1), undefined],
    [`${tokens.ops}x`, undefined],
    ['', undefined],
  ])('gives %j the role %s', (presented, role) => {
    expect(roleOfToken(tokens, presented)).toBe(role);
  });
});
