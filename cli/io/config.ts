import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_CONFIG, type LintConfig, parseLintConfig } from '../../core/lint/config.js';

const DRYDOCK_NAMES = ['.drydock.yaml', '.drydock.yml'];
const HADOLINT_NAMES = ['.hadolint.yaml', '.hadolint.yml'];

/** The config file that applies from `cwd`: the nearest `.drydock.yaml`, else the nearest `.hadolint.yaml`. */
export function findConfigFile(cwd: string): string | undefined {
  for (const names of [DRYDOCK_NAMES, HADOLINT_NAMES]) {
    for (let dir = resolve(cwd); ; dir = dirname(dir)) {
      for (const n of names) if (existsSync(join(dir, n))) return join(dir, n);
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/** Loads the explicit `--config` file, or the discovered one, or the defaults. */
export function loadLintConfig(
  explicit: string | undefined,
  cwd: string,
): { config: LintConfig; file?: string } {
  const file = explicit ?? findConfigFile(cwd);
  if (!file) return { config: DEFAULT_CONFIG };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read config: ${(err as Error).message}`);
  }
  return { config: parseLintConfig(text, file), file };
}
