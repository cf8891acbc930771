import { randomBytes } from 'node:crypto';
import { chown, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SqlitePolicyVersions } from '../../adapters/local/sqlite-policy-versions.js';
import { DrydockError } from '../../core/errors.js';
import { parsePolicy } from '../../core/policy/parse-policy.js';
import { addBanToPolicyText, removeBanFromPolicyText } from '../../core/policy/policy-bans.js';
import type { Policy } from '../../core/policy/schema.js';
import type {
  PolicyBan,
  PolicyChange,
  PolicyStore,
  PolicyVersionRef,
} from '../../core/ports/policy-store.js';

/** The policy file could not be read or written; nothing was changed. */
export class PolicyStoreError extends DrydockError {
  override readonly name = 'PolicyStoreError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'POLICY_STORE_FAILED', retryable: true, ...options });
  }
}

/** Options of a FilePolicyStore. */
export interface FilePolicyStoreOptions {
  /** The policy in force (the daemon's watched policy); by default the file, read and validated on each call. */
  readonly inForce?: () => Promise<Policy>;
}

/**
 * The local pipeline's policy store: the state directory's policy.yaml, edited in place (comments and every other
 * entry kept), replaced atomically with its mode and owner, each change recorded as a policy version whose source
 * names who, when and why. Writes are serialised; the daemon is the only writer.
 */
export class FilePolicyStore implements PolicyStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly versions: SqlitePolicyVersions,
    private readonly options: FilePolicyStoreOptions = {},
  ) {}

  /** The policy in force. */
  async current(): Promise<Policy> {
    if (this.options.inForce) return this.options.inForce();
    return parsePolicy(await this.read(), this.path);
  }

  /** Adds the ban to `banned` unless its id is there; throws PolicyValidationError when the result would not validate. */
  addBan(ban: PolicyBan, change: PolicyChange): Promise<PolicyVersionRef> {
    return this.serialised(() =>
      this.edit(
        (text) => addBanToPolicyText(text, { ...ban, by: change.by, at: change.at }, this.path),
        `ban ${ban.banId} by ${change.by} at ${change.at}: ${change.why}`,
      ),
    );
  }

  /** Removes the entry with the ban's id; the version in force is returned unchanged when there is none. */
  removeBan(banId: string, change: PolicyChange): Promise<PolicyVersionRef> {
    return this.serialised(() =>
      this.edit(
        (text) => removeBanFromPolicyText(text, banId, this.path),
        `unban ${banId} by ${change.by} at ${change.at}: ${change.why}`,
      ),
    );
  }

  private async edit(change: (text: string) => string, source: string): Promise<PolicyVersionRef> {
    const before = await this.read();
    const after = change(before);
    if (after === before) return ref(this.versions.record(before, this.path).version);
    await this.replace(after);
    // Recorded before any other I/O callback runs, so the watcher finds this version and does not record it again.
    return ref(this.versions.record(after, source).version);
  }

  private async read(): Promise<string> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      throw new PolicyStoreError(`cannot read the policy ${this.path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  // A temp file beside the policy, then rename: a reader sees the old text or the new, never half of one.
  private async replace(text: string): Promise<void> {
    const temp = join(dirname(this.path), `.${basename(this.path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const was = await stat(this.path);
      // O_EXCL: a file or link planted under the temp name is refused, never followed.
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.chmod(was.mode & 0o7777);
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (process.getuid?.() === 0) await chown(temp, was.uid, was.gid);
      await rename(temp, this.path);
    } catch (error) {
      await rm(temp, { force: true });
      throw new PolicyStoreError(`cannot write the policy ${this.path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function ref(version: { version: number; sha256: string }): PolicyVersionRef {
  return { version: version.version, sha256: version.sha256 };
}
