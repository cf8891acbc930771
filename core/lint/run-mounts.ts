import type { Instruction } from '../dockerfile/model.js';

/**
 * Targets of a RUN's cache and tmpfs mounts (`--mount=type=cache,target=/root/.cache/pip`), without
 * trailing slashes: what is written there stays out of the image layer.
 */
export function ephemeralMountTargets(instruction: Instruction): string[] {
  const targets: string[] = [];
  for (const flag of instruction.flags) {
    if (flag.name.toLowerCase() !== 'mount' || !flag.value) continue;
    const fields = new Map<string, string>();
    // Docker reads the value as CSV, so a whole field may be quoted (`"target=/a b"`).
    for (const field of flag.value.split(',')) {
      const [key = '', ...rest] = unquote(field.trim()).split('=');
      fields.set(key.trim().toLowerCase(), unquote(rest.join('=').trim()));
    }
    const type = fields.get('type') ?? 'bind';
    const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
    if ((type === 'cache' || type === 'tmpfs') && target) targets.push(target.replace(/\/+$/, '') || '/');
  }
  return targets;
}

function unquote(s: string): string {
  return /^(["']).*\1$/.test(s) ? s.slice(1, -1) : s;
}
