import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DrydockError } from '../../core/errors.js';

/**
 * Who an API request acts for: `ops` may do everything (policy, bans, base imports and seeding), `read` may
 * use every GET endpoint (dashboards).
 */
export type ApiRole = 'ops' | 'read';

/** The roles, most powerful first. */
export const API_ROLES: readonly ApiRole[] = ['ops', 'read'];

/** The directory of the API tokens inside a state directory (mode 0700). */
export const API_TOKEN_DIR = 'api';

/** The bearer tokens of the API, one per role. */
export type ApiTokens = Readonly<Record<ApiRole, string>>;

/** Path of a role's token file: `<stateDir>/api/<role>-token`, mode 0600. */
export function apiTokenPath(stateDir: string, role: ApiRole): string {
  return join(stateDir, API_TOKEN_DIR, `${role}-token`);
}

const newToken = () => `drydock_${randomBytes(32).toString('base64url')}`;
const TOKEN_SHAPE = /^drydock_[A-Za-z0-9_-]{43}$/;

async function writeToken(path: string): Promise<string> {
  const token = newToken();
  const tmp = `${path}.${process.pid}.tmp`;
  await rm(tmp, { force: true });
  // 'wx' with mode 0600: the file never exists with wider rights, and never follows a planted link.
  const file = await open(tmp, 'wx', 0o600);
  try {
    await file.writeFile(`${token}\n`);
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  return token;
}

/** Whether a token file can be kept: a regular file of ours, 0600, holding a token of the right shape. */
async function keepable(path: string, dirExposed: boolean): Promise<string | undefined> {
  if (dirExposed) return undefined;
  try {
    const info = await lstat(path);
    if (!info.isFile() || (info.mode & 0o077) !== 0 || info.uid !== process.getuid?.()) return undefined;
    const token = (await readFile(path, 'utf8')).trim();
    return TOKEN_SHAPE.test(token) ? token : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Makes sure the API tokens exist in `<stateDir>/api/` (a 0700 directory of this user, each token 0600) and
 * returns them with the roles whose token was (re)generated: a missing token, and any token another user
 * could have read (a file or directory open to group or others, or not owned by this user), is replaced.
 */
export async function ensureApiTokens(
  stateDir: string,
): Promise<{ readonly tokens: ApiTokens; readonly generated: readonly ApiRole[] }> {
  const dir = join(stateDir, API_TOKEN_DIR);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  if (!info.isDirectory()) {
    throw new DrydockError(
      `${dir} is not a directory; remove it so that drydock can keep its API tokens there`,
      {
        code: 'API_TOKEN_DIR_INVALID',
      },
    );
  }
  const dirExposed = (info.mode & 0o077) !== 0 || info.uid !== process.getuid?.();
  // The mode is narrowed first, so no token written below is ever reachable through a wide directory.
  if (dirExposed) await chmod(dir, 0o700);
  const tokens: Partial<Record<ApiRole, string>> = {};
  const generated: ApiRole[] = [];
  for (const role of API_ROLES) {
    const path = apiTokenPath(stateDir, role);
    const kept = await keepable(path, dirExposed);
    if (kept !== undefined) {
      tokens[role] = kept;
    } else {
      tokens[role] = await writeToken(path);
      generated.push(role);
    }
  }
  return { tokens: tokens as ApiTokens, generated };
}

/** A token file the CLI cannot use; the message names the file and who can read it. */
export class ApiTokenUnreadableError extends DrydockError {
  override readonly name = 'ApiTokenUnreadableError';
  readonly path: string;

  constructor(path: string, message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'API_TOKEN_UNREADABLE', ...options });
    this.path = path;
  }
}

/** The account name of a uid from /etc/passwd, else `uid N`. */
function accountOf(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && Number(id) === uid) return name;
    }
  } catch {
    // No passwd file: the number is all there is.
  }
  return `uid ${uid}`;
}

/** Reads a role's token from the state directory, or throws `ApiTokenUnreadableError` saying why it cannot. */
export async function readApiToken(stateDir: string, role: ApiRole = 'ops'): Promise<string> {
  const path = apiTokenPath(stateDir, role);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      const owner = await lstat(path).then(
        (s) => accountOf(s.uid),
        // The directory itself is closed to us: its owner is the one who runs drydock start.
        () =>
          lstat(join(stateDir, API_TOKEN_DIR)).then(
            (s) => accountOf(s.uid),
            () => 'its owner',
          ),
      );
      throw new ApiTokenUnreadableError(
        path,
        `cannot read ${path}: drydock's API token is readable only by the user who runs drydock start (${owner})`,
        { cause: error },
      );
    }
    if (code === 'ENOENT') {
      throw new ApiTokenUnreadableError(
        path,
        `no API token at ${path}: the running drydock start predates API tokens; restart it to create them`,
        { cause: error },
      );
    }
    throw new ApiTokenUnreadableError(path, `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const token = text.trim();
  if (!TOKEN_SHAPE.test(token)) {
    throw new ApiTokenUnreadableError(
      path,
      `${path} holds no API token; restart drydock start to create a new one`,
    );
  }
  return token;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * The role a presented bearer token carries, or undefined. Every role's token is compared, in constant time
 * over fixed-length digests, so the answer's timing says nothing about how much of a token was right.
 */
export function roleOfToken(tokens: ApiTokens, presented: string): ApiRole | undefined {
  const given = digest(presented);
  let found: ApiRole | undefined;
  for (const role of API_ROLES) {
    if (timingSafeEqual(given, digest(tokens[role])) && found === undefined) found = role;
  }
  return found;
}
