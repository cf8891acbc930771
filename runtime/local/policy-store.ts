import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_ENFORCED_RULES } from '../../core/policy/default-enforced.js';
import { parsePolicy } from '../../core/policy/parse-policy.js';
import type { Policy } from '../../core/policy/schema.js';

export { DEFAULT_ENFORCED_RULES };

/** The policy file of a local pipeline, inside its state directory. */
export const POLICY_FILE = 'policy.yaml';

/** The versions of the busybox base catalogue that `drydock bases seed` builds and the default policy admits. */
export const DEFAULT_BASE_VERSIONS = ['1.36.0', '1.36.1'] as const;

/**
 * The policy a new local pipeline starts with: only its own registry is trusted, and the whitelist admits
 * exactly the seeded busybox catalogue.
 */
export function defaultLocalPolicy(registryHost: string): string {
  const tags = DEFAULT_BASE_VERSIONS.map((v) => `"${v}"`).join(', ');
  return `# drydock base-image policy of this local pipeline (ops-owned). drydock start reads it again when it
# changes; check an edit first with: drydock policy validate ${POLICY_FILE}
version: 1

# Only images from the pipeline's own registry can be admitted.
trustedRegistries: ["${registryHost}"]

# What the gate enforces over each team's .drydock.yaml / .hadolint.yaml and inline pragmas.
gate:
  failureThreshold: warning
  enforce: [${DEFAULT_ENFORCED_RULES.join(', ')}]

# A digest-pinned base (name:tag@sha256:…) is admitted only by a digest its entry lists: builders pull the
# digest and ignore the tag beside it. The seeded bases are built on this machine, so their digests are known
# only once seeded: \`drydock bases ls\` shows them; list them under the entry (digests: ["sha256:…"]) to let
# teams pin them. A base named by its tag alone is admitted by the tag.
requireDigestListed: true

# The whitelist: exactly the catalogue \`drydock bases seed\` builds. Add an imported base here to admit it.
allowed:
  - image: ${registryHost}/base/busybox
    tags: [${tags}]
    note: ops-built busybox-static base (drydock bases seed)

# Per-project, time-boxed exceptions:
# exceptions:
#   - project: legacy
#     image: ${registryHost}/base/busybox
#     tags: ["1.35*"]
#     expires: "2027-03-31"
#     reason: why, and the plan to remove it
`;
}

/** Writes the default policy when the state directory has none; returns the path. */
export async function ensurePolicyFile(stateDir: string, registryHost: string): Promise<string> {
  const path = join(stateDir, POLICY_FILE);
  try {
    await writeFile(path, defaultLocalPolicy(registryHost), { flag: 'wx', mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return path;
}

/** Reads the policy file, validated; throws `PolicyValidationError` naming every problem. */
export async function readPolicyFile(path: string): Promise<Policy> {
  return parsePolicy(await readFile(path, 'utf8'), path);
}

/**
 * The policy the gate uses, read again whenever the file changes. An edit that does not validate is reported
 * once through `onInvalid` and the last valid policy stays in force, so a typo never stops the gate or admits
 * what the previous policy denied.
 */
export function watchedPolicy(
  path: string,
  initial: Policy,
  onInvalid: (error: Error) => void,
  onApplied?: (text: string, policy: Policy) => void,
): () => Promise<Policy> {
  let current = initial;
  let seen = '';
  return async () => {
    let s: Awaited<ReturnType<typeof stat>>;
    try {
      s = await stat(path);
    } catch (error) {
      if (seen !== 'missing') onInvalid(error as Error);
      seen = 'missing';
      return current;
    }
    const stamp = `${s.mtimeMs}:${s.size}:${s.ino}`;
    if (stamp === seen) return current;
    seen = stamp;
    let text: string;
    let parsed: Policy;
    try {
      text = await readFile(path, 'utf8');
      parsed = parsePolicy(text, path);
    } catch (error) {
      onInvalid(error as Error);
      return current;
    }
    current = parsed;
    // Outside the try: a failure to record the version must not be reported as a policy that was not applied.
    onApplied?.(text, current);
    return current;
  };
}
