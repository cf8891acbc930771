import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../core/errors.js';
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
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new ConfigError(`${file}: cannot read config: ${why}`, { cause: err });
  }
  return { config: parseLintConfig(text, file), file };
}
