import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AdmissionDecision, type AdmissionSubject, admitImage } from '../../core/admission/admit.js';
import { DrydockError } from '../../core/errors.js';
import { AdmissionListError, admissionPaths, readAdmissionFile, readRootFile } from './admission-file.js';

const MAX_STORAGE_JSON_BYTES = 256 * 1024 * 1024;
const HEX64 = /^[0-9a-f]{64}$/;

/** What the prestart hook answers: allow (perhaps through the ops override) or refuse, with the reason. */
export type HookAnswer =
  | { readonly allow: true; readonly note?: string }
  | { readonly allow: false; readonly reason: string };

/** The interpreter the hook runs under: Debian's own python3, never a shim from PATH (pyenv adds ~40 ms). */
export const HOOK_PYTHON = '/usr/bin/python3';

/**
 * How long podman's runtime lets the hook run before it ends it and refuses the start: far over its tens of
 * milliseconds, and what bounds a ban pattern that backtracks on a crafted image name (fail closed, never open).
 */
export const HOOK_TIMEOUT_SECONDS = 5;

/** Where a state dir's hook configuration goes: podman's `hooks_dir` of the fleet. */
export function hooksDir(stateDir: string): string {
  return join(stateDir, 'hooks');
}

/** The hook's entry in a state dir: it imports the hook program, installed next to it as a module. */
export function hookScriptPath(stateDir: string): string {
  return join(hooksDir(stateDir), 'drydock-admission-hook.py');
}

/** The hook program installed in a state dir: a copy of adapters/local/admission-hook.py. */
export function hookModulePath(stateDir: string): string {
  return join(hooksDir(stateDir), 'drydock_admission_hook.py');
}

// The entry podman runs. A script python3 runs is compiled at every start; a module it imports is compiled once
// into __pycache__ (revalidated against the source's mtime). The hooks dir goes last on the path, so no module of
// the standard library can be shadowed from it.
const HOOK_ENTRY = `import sys
sys.path.append(sys.argv[0].rpartition("/")[0])
import drydock_admission_hook
drydock_admission_hook.run()
`;

/** The argv podman runs as the fleet's prestart hook: isolated python3 (no site, no environment), the hook, the state dir. */
export function admissionHookCommand(stateDir: string): string[] {
  return [HOOK_PYTHON, '-I', '-S', hookScriptPath(stateDir), stateDir];
}

/** adapters/local/admission-hook.py of this installation, from the sources or from the bundle (dist/, dist/chunks/). */
export function admissionHookSource(): string {
  for (const rel of [
    './admission-hook.py',
    '../adapters/local/admission-hook.py',
    '../../adapters/local/admission-hook.py',
  ]) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new DrydockError('cannot find adapters/local/admission-hook.py next to this drydock installation', {
    code: 'INSTALLATION_INCOMPLETE',
  });
}

/**
 * Installs `<stateDir>/hooks/drydock-admission.json`: an OCI prestart hook run for every container (`when.always`)
 * as `command` (an argv, by default `admissionHookCommand`), with the hook program copied next to it.
 */
export async function installAdmissionHook(
  stateDir: string,
  command: readonly string[] = admissionHookCommand(stateDir),
): Promise<string> {
  const dir = hooksDir(stateDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // A copy in the state dir: the hook keeps working while the checkout is rebuilt or moved, and is replaced whole.
  const replace = async (path: string, content: string | Buffer) => {
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, content, { mode: 0o400, flag: 'wx' });
    await rename(temp, path);
  };
  await replace(hookModulePath(stateDir), await readFile(admissionHookSource()));
  await replace(hookScriptPath(stateDir), HOOK_ENTRY);
  const [path, ...rest] = command;
  if (!path) throw new Error('the admission hook command is empty');
  const hook = {
    version: '1.0.0',
    hook: { path, args: [path, ...rest], timeout: HOOK_TIMEOUT_SECONDS },
    when: { always: true },
    stages: ['prestart'],
  };
  const file = join(dir, 'drydock-admission.json');
  await writeFile(file, `${JSON.stringify(hook, null, 2)}\n`, { mode: 0o600 });
  return file;
}

function storageJson(path: string): unknown {
  const bytes = readRootFile(path, MAX_STORAGE_JSON_BYTES);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new AdmissionListError(`${path} is not JSON`, { cause: error });
  }
}

/** The image a container of this state dir's podman storage is created from, from storage's own metadata. */
export function containerImage(stateDir: string, containerId: string): AdmissionSubject {
  const storage = join(stateDir, 'containers', 'storage');
  const containers = storageJson(join(storage, 'vfs-containers', 'containers.json')) as {
    id?: unknown;
    image?: unknown;
    metadata?: unknown;
  }[];
  const container = Array.isArray(containers) ? containers.find((c) => c?.id === containerId) : undefined;
  if (!container) throw new AdmissionListError(`container ${containerId.slice(0, 12)} is not in ${storage}`);
  const imageId = container.image;
  if (typeof imageId !== 'string' || !HEX64.test(imageId))
    throw new AdmissionListError(
      `container ${containerId.slice(0, 12)} has no image (a --rootfs container?)`,
    );
  const images = storageJson(join(storage, 'vfs-images', 'images.json')) as {
    id?: unknown;
    digest?: unknown;
    names?: unknown;
    'big-data-names'?: unknown;
  }[];
  const image = Array.isArray(images) ? images.find((i) => i?.id === imageId) : undefined;
  if (!image) throw new AdmissionListError(`image ${imageId.slice(0, 12)} is not in ${storage}`);
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);
  const digests = new Set<string>();
  if (typeof image.digest === 'string') digests.add(image.digest);
  for (const name of strings(image['big-data-names'])) {
    if (name.startsWith('manifest-sha256:')) digests.add(name.slice('manifest-'.length));
  }
  const refs = strings(image.names);
  try {
    const written = JSON.parse(String(container.metadata ?? '{}'))['image-name'];
    if (typeof written === 'string' && written !== '') refs.push(written);
  } catch {
    // The names in images.json are enough.
  }
  return { refs, digests: [...digests], configDigest: `sha256:${imageId}` };
}

function decide(stateDir: string, stateText: string): AdmissionDecision {
  let state: { id?: unknown; bundle?: unknown };
  try {
    state = JSON.parse(stateText) as typeof state;
  } catch {
    throw new AdmissionListError('the container state on stdin is not JSON');
  }
  const id = state?.id;
  if (typeof id !== 'string' || !HEX64.test(id))
    throw new AdmissionListError('the container state has no valid id');
  // The bundle must be this container's own directory in this state dir's storage: a state naming another
  // storage (podman --root) or a bundle elsewhere is a container this hook cannot vouch for.
  const expected = join(stateDir, 'containers', 'storage', 'vfs-containers', id, 'userdata');
  if (state.bundle !== expected)
    throw new AdmissionListError(
      `container ${id.slice(0, 12)} is not in this state dir's storage (bundle ${String(state.bundle)})`,
    );
  return admitImage(containerImage(stateDir, id), readAdmissionFile(stateDir));
}

// When no decision can be made: refuse, unless ops created the root-owned override.
function undecided(stateDir: string, error: unknown): HookAnswer {
  const why =
    error instanceof AdmissionListError ? error.message : `cannot decide: ${(error as Error).message}`;
  const { failOpen } = admissionPaths(stateDir);
  try {
    readRootFile(failOpen, 4096);
  } catch {
    return { allow: false, reason: `${why} (failing closed)` };
  }
  return { allow: true, note: `${why}; allowed by ${failOpen}` };
}

/** Answers for an image as the hook would (same list, same override): `drydock admit`, `run` and `fleet start` use it. */
export function answerForImage(stateDir: string, subject: AdmissionSubject): HookAnswer {
  try {
    const decision = admitImage(subject, readAdmissionFile(stateDir));
    return decision.allow ? { allow: true } : { allow: false, reason: decision.reason };
  } catch (error) {
    return undecided(stateDir, error);
  }
}

/**
 * Answers the prestart hook for the container state `stateText` (podman's JSON on stdin): the admission decision
 * from the state dir's list and storage metadata; when that cannot be made, refuse unless ops created the
 * root-owned override `<stateDir>/admission/fail-open`.
 */
export function answerPrestart(stateDir: string, stateText: string): HookAnswer {
  try {
    const decision = decide(stateDir, stateText);
    return decision.allow ? { allow: true } : { allow: false, reason: decision.reason };
  } catch (error) {
    return undecided(stateDir, error);
  }
}
