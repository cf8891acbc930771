import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDefinitionName } from '../../core/dockerfile/definition-names.js';

/** Largest definition drydock reads; bigger files are refused, not truncated. */
export const MAX_BYTES = 1024 * 1024;

/** A file to check, or why it could not be read. */
export type Input =
  | { readonly file: string; readonly text: string; readonly bom?: boolean }
  | { readonly file: string; readonly error: string };

const SKIP_DIRS = new Set(['node_modules', '.git', '.drydock']);

/** Expands paths (files, directories, `-` for stdin) into readable inputs; problems become error inputs. */
export function collectInputs(paths: readonly string[], readStdin: () => string, cwd = '.'): Input[] {
  const out: Input[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(checkText('-', Buffer.from(readStdin(), 'utf8')));
      continue;
    }
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(resolve(cwd, p));
    } catch (err) {
      out.push({ file: p, error: `${p}: ${describeFsError(err)}` });
      continue;
    }
    if (st.isDirectory()) {
      const found = findDefinitions(p, cwd);
      if (found.length === 0) {
        out.push({
          file: p,
          error: `${p}: directory holds no Dockerfile (looked for Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*)`,
        });
      }
      for (const f of found) out.push(readInput(f, cwd));
    } else {
      out.push(readInput(p, cwd));
    }
  }
  return out;
}

function findDefinitions(dir: string, cwd: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(resolve(cwd, d), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(full);
      } else if (
        (e.isFile() || (e.isSymbolicLink() && isFileTarget(resolve(cwd, full)))) &&
        isDefinitionName(e.name)
      ) {
        found.push(full);
      }
    }
  };
  walk(dir);
  return found;
}

function isFileTarget(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readInput(file: string, cwd: string): Input {
  try {
    const st = statSync(resolve(cwd, file));
    if (st.size > MAX_BYTES) {
      return {
        file,
        error: `${file}: file is ${st.size} bytes, over the 1 MiB limit for a definition; not checked`,
      };
    }
    return checkText(file, readFileSync(resolve(cwd, file)));
  } catch (err) {
    return { file, error: `${file}: ${describeFsError(err)}` };
  }
}

/** Checks bytes read for `file` (size, binary, UTF-8) and decodes them; problems become an error input. */
export function checkText(file: string, bytes: Buffer): Input {
  if (bytes.length > MAX_BYTES) {
    return {
      file,
      error: `${file}: input is ${bytes.length} bytes, over the 1 MiB limit for a definition; not checked`,
    };
  }
  if (bytes.includes(0)) {
    return {
      file,
      error: `${file}: looks binary (contains NUL bytes at offset ${bytes.indexOf(0)}); not a Dockerfile`,
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { file, error: `${file}: not valid UTF-8 text; not a Dockerfile` };
  }
  // A byte-order mark is not part of the first instruction; it is kept aside and restored on rewrite.
  if (text.charCodeAt(0) === 0xfeff) return { file, text: text.slice(1), bom: true };
  return { file, text };
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (err as Error)?.message ?? String(err);
}
