import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DockerfileModel } from '../../core/dockerfile/model.js';
import {
  CONTEXT_LIMITS,
  type ContextFiles,
  contextText,
  pickContextFiles,
} from '../../core/lint/copied-files.js';

// A context bigger than this is listed only this far, so linting a file beside a huge tree stays quick.
const MAX_LISTED = 20_000;
const SKIP = new Set(['.git']);

/**
 * The build-context files a Dockerfile copies that the linter checks by content, read from `dir` (the directory
 * the build would use as context): regular files only (a symlink is copied as a link, not as its target), within
 * `CONTEXT_LIMITS`. Unreadable entries are skipped: the file is then checked by name and destination only.
 */
export function readContextFiles(dir: string, model: DockerfileModel): ContextFiles {
  if (!model.instructions.some((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) return new Map();
  const listing: string[] = [];
  const walk = (rel: string): void => {
    if (listing.length >= MAX_LISTED) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (listing.length >= MAX_LISTED) return;
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory() && !SKIP.has(e.name)) walk(path);
      else if (e.isFile()) listing.push(path);
    }
  };
  walk('');
  const out = new Map<string, string>();
  for (const path of pickContextFiles(model, listing)) {
    try {
      const full = join(dir, path);
      const st = lstatSync(full);
      if (!st.isFile() || st.size > CONTEXT_LIMITS.maxBytes) continue;
      const text = contextText(readFileSync(full));
      if (text !== undefined) out.set(path, text);
    } catch {
      // Gone or unreadable since the listing: checked by name and destination only.
    }
  }
  return out;
}
