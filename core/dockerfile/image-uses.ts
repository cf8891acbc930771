import { dockerWords, type Env, expandDockerWord, type Value } from './expand.js';
import type { DockerfileModel, Instruction } from './model.js';
import type { Loc } from './source-map.js';

/** An external image a Dockerfile pulls: a FROM base, a `COPY --from=image`, or a `RUN --mount=from=image`. */
export interface ExternalImage {
  /** The reference after ARG substitution, as it would be pulled. */
  readonly text: string;
  /** The reference as written (`${BASE}`, `node:20`). */
  readonly written: string;
  readonly kind: 'from' | 'copy-from' | 'mount-from';
  readonly line: number;
  readonly column: number;
  /** Offsets of the written reference in the Dockerfile text (what a substitution replaces). */
  readonly start: number;
  readonly end: number;
  /** Index of the stage the reference belongs to. */
  readonly stage: number;
}

/** A reference that cannot be resolved to an image (an ARG without a value, say). */
export interface UnresolvedImage {
  readonly written: string;
  readonly kind: ExternalImage['kind'];
  readonly loc: Loc;
  readonly reason: string;
}

/** What `externalImages` finds. */
export interface ImageUses {
  readonly images: readonly ExternalImage[];
  readonly unresolved: readonly UnresolvedImage[];
}

const VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Lists the external images a Dockerfile uses, resolving ARG references from the global ARG defaults
 * and the supplied build args. Stage names, stage indexes and `scratch` are not external images.
 */
export function externalImages(
  model: DockerfileModel,
  buildArgs: Readonly<Record<string, string>> = {},
): ImageUses {
  const images: ExternalImage[] = [];
  const unresolved: UnresolvedImage[] = [];
  const args = new Map<string, string | undefined>();
  for (const a of model.globalArgs) args.set(a.name, buildArgs[a.name] ?? a.value ?? undefined);

  const add = (
    written: string,
    kind: ExternalImage['kind'],
    start: number,
    stage: number,
    scope: Map<string, string | undefined> = args,
  ): void => {
    const names = model.stages.filter((s) => s.index < stage || (kind !== 'from' && s.index <= stage));
    const resolved = substitute(written, scope, kind === 'from' ? 'before the first FROM' : 'in its stage');
    const loc = locAt(model.text, start);
    if (typeof resolved !== 'string') {
      unresolved.push({ written, kind, loc, reason: resolved.reason });
      return;
    }
    const lower = resolved.toLowerCase();
    if (
      lower === 'scratch' ||
      names.some((s) => s.name === lower) ||
      (kind !== 'from' && /^\d+$/.test(resolved))
    ) {
      return;
    }
    if (resolved.trim() === '') {
      unresolved.push({ written, kind, loc, reason: `"${written}" resolves to an empty image name` });
      return;
    }
    images.push({ text: resolved, written, kind, ...loc, start, end: start + written.length, stage });
  };

  for (const stage of model.stages) {
    add(stage.image, 'from', stage.imageStart, stage.index);
    // buildah expands COPY --from and RUN --mount with the stage's own ARGs: a global ARG only once the stage
    // declares it again (then with its global value), a stage ARG with its own default.
    const scope = new Map<string, string | undefined>();
    for (const inst of stage.instructions) {
      if (inst.onbuild) continue;
      if (inst.keyword === 'ARG') {
        for (const p of inst.properties) {
          scope.set(
            p.name,
            buildArgs[p.name] ?? p.value ?? (args.has(p.name) ? args.get(p.name) : undefined),
          );
        }
        continue;
      }
      for (const flag of inst.flags) {
        if (inst.keyword === 'COPY' && flag.name.toLowerCase() === 'from' && flag.value) {
          add(
            flag.value,
            'copy-from',
            flagValueOffset(model.text, inst, 'from', flag.value),
            stage.index,
            scope,
          );
        }
        if (inst.keyword === 'RUN' && flag.name.toLowerCase() === 'mount' && flag.value) {
          // buildah removes quotes and escapes from the value before splitting it, and takes the last from=: a
          // value with either is not resolved here, and every from= is judged.
          if (/["'\\]/.test(flag.value)) {
            unresolved.push({
              written: flag.value,
              kind: 'mount-from',
              loc: locAt(model.text, inst.start),
              reason: `RUN --mount=${flag.value} holds quotes or escapes, which the builder removes before reading from=; write the mount without them`,
            });
            continue;
          }
          for (const m of flag.value.matchAll(/(?:^|,)from=([^,]+)/g)) {
            const from = m[1] as string;
            add(from, 'mount-from', flagValueOffset(model.text, inst, 'mount', from), stage.index, scope);
          }
        }
      }
    }
  }
  return { images, unresolved };
}

function substitute(
  written: string,
  args: Map<string, string | undefined>,
  scopeName: string,
): string | { reason: string } {
  let missing: string | undefined;
  const out = written.replace(
    VAR,
    (
      _m,
      braced: string | undefined,
      op: string | undefined,
      word: string | undefined,
      bare: string | undefined,
    ) => {
      const name = (braced ?? bare) as string;
      const declared = args.has(name);
      const value = args.get(name);
      const set = value !== undefined && (op?.startsWith(':') ? value !== '' : true);
      if (op?.endsWith('-')) return set ? (value as string) : (word ?? '');
      if (op?.endsWith('+')) return set ? (word ?? '') : '';
      if (value === undefined) {
        missing ??= declared
          ? `build arg ${name} has no default and was not supplied (pass --build-arg ${name}=…)`
          : `${name} is not declared with ARG ${scopeName}`;
        return '';
      }
      return value;
    },
  );
  return missing ? { reason: `cannot resolve "${written}": ${missing}` } : out;
}

function flagValueOffset(text: string, inst: Instruction, flag: string, value: string): number {
  const segment = text.slice(inst.start, inst.end);
  const at = segment.search(new RegExp(`--${flag}=`, 'i'));
  const v = at < 0 ? -1 : segment.indexOf(value, at);
  return v < 0 ? inst.start : inst.start + v;
}

function locAt(text: string, offset: number): Loc {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** BuildKit's automatic platform ARGs: set for every build, in the global scope too, to the build's own platforms. */
export const PLATFORM_ARGS: ReadonlySet<string> = new Set(
  ['BUILD', 'TARGET'].flatMap((p) => ['PLATFORM', 'OS', 'ARCH', 'VARIANT'].map((s) => `${p}${s}`)),
);

const globalEnvs = new WeakMap<DockerfileModel, Env>();

/**
 * The variables a FROM line sees, as the builder evaluates them with no build args: each global ARG's default,
 * expanded with the ARGs before it. An automatic platform ARG stays a reference (its value is the build's), unless the
 * file gives it a default; an ARG without a default is unknown (null).
 */
function globalEnv(model: DockerfileModel): Env {
  const known = globalEnvs.get(model);
  if (known) return known;
  const vars = new Map<string, Value | null>();
  for (const name of PLATFORM_ARGS) vars.set(name, [{ raw: `\${${name}}` }]);
  const env: Env = { get: (name) => vars.get(name) };
  const escapeChar = model.escape || '\\';
  for (const inst of model.instructions) {
    if (inst.stage >= 0) break;
    if (inst.keyword !== 'ARG' || inst.onbuild) continue;
    for (const word of dockerWords(inst.argsText, escapeChar)) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word : word.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
      if (eq >= 0) vars.set(name, expandDockerWord(word.slice(eq + 1), env, escapeChar) ?? null);
      else if (!PLATFORM_ARGS.has(name)) vars.set(name, null);
    }
  }
  globalEnvs.set(model, env);
  return env;
}

/**
 * Text of a FROM line (its image or `--platform` value) with the global ARG defaults substituted, as the builder reads
 * it when no build arg is passed; pieces only the build knows stay as written (raw). Undefined when too long to keep.
 */
export function expandFromText(model: DockerfileModel, text: string): Value | undefined {
  if (!text.includes('$')) return [{ text }];
  return expandDockerWord(text, globalEnv(model), model.escape || '\\');
}
