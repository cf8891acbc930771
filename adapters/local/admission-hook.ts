import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AdmissionDecision, type AdmissionSubject, admitImage } from '../../core/admission/admit.js';
import { AdmissionListError, admissionPaths, readAdmissionFile, readRootFile } from './admission-file.js';

/** The longest container state the hook reads from stdin; more is refused. */
export const MAX_HOOK_STATE_BYTES = 1024 * 1024;
const MAX_STORAGE_JSON_BYTES = 256 * 1024 * 1024;
const HEX64 = /^[0-9a-f]{64}$/;

/** What the prestart hook answers: allow (perhaps through the ops override) or refuse, with the reason. */
export type HookAnswer =
  | { readonly allow: true; readonly note?: string }
  | { readonly allow: false; readonly reason: string };

/** Where a state dir's hook configuration goes: podman's `hooks_dir` of the fleet. */
export function hooksDir(stateDir: string): string {
  return join(stateDir, 'hooks');
}

/**
 * Installs `<stateDir>/hooks/drydock-admission.json`: an OCI prestart hook run for every container (`when.always`)
 * as `command` (an argv: node, the hook bin, the state dir).
 */
export async function installAdmissionHook(stateDir: string, command: readonly string[]): Promise<string> {
  const dir = hooksDir(stateDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const [path, ...rest] = command;
  if (!path) throw new Error('the admission hook command is empty');
  const hook = {
    version: '1.0.0',
    hook: { path, args: [path, ...rest], timeout: 10 },
    when: { always: true },
    stages: ['prestart'],
  };
  const file = join(dir, 'drydock-admission.json');
  await writeFile(file, `${JSON.stringify(hook, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** The image a container of this state dir's podman storage is created from, from storage's own metadata. */
export function containerImage(stateDir: string, containerId: string): AdmissionSubject {
  const storage = join(stateDir, 'containers', 'storage');
  const containers = JSON.parse(
    readRootFile(join(storage, 'vfs-containers', 'containers.json'), MAX_STORAGE_JSON_BYTES).toString('utf8'),
  ) as { id?: unknown; image?: unknown; metadata?: unknown }[];
  const container = Array.isArray(containers) ? containers.find((c) => c?.id === containerId) : undefined;
  if (!container) throw new AdmissionListError(`container ${containerId.slice(0, 12)} is not in ${storage}`);
  const imageId = container.image;
  if (typeof imageId !== 'string' || !HEX64.test(imageId))
    throw new AdmissionListError(
      `container ${containerId.slice(0, 12)} has no image (a --rootfs container?)`,
    );
  const images = JSON.parse(
    readRootFile(join(storage, 'vfs-images', 'images.json'), MAX_STORAGE_JSON_BYTES).toString('utf8'),
  ) as { id?: unknown; digest?: unknown; names?: unknown; 'big-data-names'?: unknown }[];
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
