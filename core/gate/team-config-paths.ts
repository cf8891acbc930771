const DRYDOCK_NAMES = ['.drydock.yaml', '.drydock.yml'];
const HADOLINT_NAMES = ['.hadolint.yaml', '.hadolint.yml'];

/** `a/b/Dockerfile` → [`a/b/`, `a/`, ``]: the definition's directory and each one above it, to the root. */
function directoriesUp(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  const dirs: string[] = [];
  for (let n = parts.length; n >= 0; n--)
    dirs.push(
      parts
        .slice(0, n)
        .map((p) => `${p}/`)
        .join(''),
    );
  return dirs;
}

/**
 * Every path a team configuration for the definition may have, in the order they are tried: each
 * `.drydock.yaml`/`.drydock.yml` from the definition's directory up to the root, then each `.hadolint.*`.
 * A snapshot of a push (the AWS webhook) stores the ones that exist, so the gate can read them.
 */
export function teamConfigCandidates(definition: string): string[] {
  return [DRYDOCK_NAMES, HADOLINT_NAMES].flatMap((names) =>
    directoriesUp(definition).flatMap((dir) => names.map((name) => `${dir}${name}`)),
  );
}

/** True for a path named like a team configuration (`.drydock.yaml`, `.hadolint.yml`…), in any directory. */
export function isTeamConfigPath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return DRYDOCK_NAMES.includes(name) || HADOLINT_NAMES.includes(name);
}
