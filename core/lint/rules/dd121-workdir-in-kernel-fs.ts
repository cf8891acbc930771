import { operands, unwrap } from '../../dockerfile/command-args.js';
import { expandDockerWord, isKnown, valueText } from '../../dockerfile/expand.js';
import type { Instruction } from '../../dockerfile/model.js';
import { expandText, variablesOf } from '../build-variables.js';
import { defineRule, type RuleContext, type RuleFinding } from '../rule.js';
import { stageLineage } from '../stage-lineage.js';

// Filesystems the runtime mounts over the image at start: a WORKDIR there is the host's or the kernel's.
const KERNEL_FS = /^\/(proc|sys|dev)(\/|$)/;

/** An absolute path with `.`, `..`, repeated and trailing slashes resolved as the kernel would (`/app/../proc` → `/proc`). */
function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

// Docker removes the quotes of a WORKDIR argument when it expands variables in it.
const unquote = (text: string): string => text.replace(/^"(.*)"$|^'(.*)'$/s, (_m, a, b) => a ?? b ?? '');

/** A symlink a RUN creates at an absolute path (`ln -s /proc/self/fd /fds`, `ln -s ../proc /p`). */
interface Link {
  readonly instruction: Instruction;
  readonly link: string;
  readonly target: string;
}

function symlinks(ctx: RuleContext): Link[] {
  const out: Link[] = [];
  for (const { command, instruction } of ctx.resolved()) {
    if (instruction.onbuild) continue;
    const { name, args } = unwrap(command);
    if (name !== 'ln' || !args.some((a) => /^-[a-zA-Z]*s/.test(a) || a === '--symbolic')) continue;
    const ops = operands({ args }, ['t', 'target-directory', 'S', 'suffix']);
    const [target, link] = ops;
    if (ops.length !== 2 || target === undefined || target === '' || !link?.startsWith('/')) continue;
    const at = normalize(
      link.endsWith('/') ? `${link}${target.split('/').filter(Boolean).at(-1) ?? ''}` : link,
    );
    // A relative target is resolved from the link's own directory (`ln -s ../proc /p` points at /proc).
    const to = target.startsWith('/') ? target : `${at.slice(0, at.lastIndexOf('/'))}/${target}`;
    out.push({ instruction, link: at, target: normalize(to) });
  }
  return out;
}

/** The links in place at an instruction: created earlier in its stage or a stage it is built FROM. */
function linksAt(
  all: readonly Link[],
  before: Instruction,
  stages: ReadonlySet<number>,
): Map<string, string> {
  const links = new Map<string, string>();
  for (const l of all) {
    if (stages.has(l.instruction.stage) && l.instruction.index < before.index) links.set(l.link, l.target);
  }
  return links;
}

/**
 * The WORKDIR as the builder makes it when no --build-arg is passed and the base image sets none of the names the
 * file leaves open: unset names are empty, so `${UNSET:-/proc/self/fd/8}` is `/proc/self/fd/8`.
 */
function unsetAsEmpty(ctx: RuleContext, inst: Instruction): string | undefined {
  const env = variablesOf(ctx.model).build(inst);
  const value = expandDockerWord(
    inst.argsText.trim(),
    { get: (name) => env.get(name) ?? [] },
    ctx.model.escape || '\\',
    false,
  );
  return value && isKnown(value) ? valueText(value) : undefined;
}

/** The path with a symlink prefix replaced by its target, once per link, so a chain of links resolves too. */
function throughLinks(path: string, links: ReadonlyMap<string, string>): string {
  let resolved = path;
  for (let hops = 0; hops < 8; hops++) {
    let next = resolved;
    for (const [link, target] of links) {
      if (resolved === link || resolved.startsWith(`${link}/`)) {
        next = normalize(target + resolved.slice(link.length));
        break;
      }
    }
    if (next === resolved) break;
    resolved = next;
  }
  return resolved;
}

export const workdirInKernelFs = defineRule({
  id: 'DD121',
  level: 'error',
  title: 'WORKDIR under /proc, /sys or /dev',
  rationale:
    'The runtime mounts /proc, /sys and /dev over the image, so a working directory there is a kernel or host object: `WORKDIR /proc/self/fd/<n>` is the runc escape of CVE-2024-21626 (Leaky Vessels), and no service needs it. Mirrors Trivy DS030 (which also lists /boot, /initrd and /lost+found, plain directories in a container, left out here); the path is judged after ENV/ARG values, relative WORKDIRs, `..` and symlinks the stage creates with `ln -s` (relative targets too) are resolved, and ONBUILD WORKDIR is judged for the builds FROM the image. A value only the build knows (an ARG without default) cannot be judged.',
  check: (ctx) => {
    const out: RuleFinding[] = [];
    let links: Link[] | undefined;
    // The WORKDIR each stage ends with, so a stage built FROM it starts there.
    const endDir = new Map<number, string | undefined>();
    for (const stage of ctx.stages) {
      const lineage = stageLineage(ctx.stages, stage.index);
      const parent = lineage[1];
      // An outside base image's WORKDIR is unknown; a relative WORKDIR on it is not judged.
      let dir = parent === undefined ? undefined : endDir.get(parent);
      const inLineage = new Set(lineage);
      for (const inst of stage.instructions) {
        if (inst.keyword !== 'WORKDIR') continue;
        if (inst.onbuild) {
          // ONBUILD WORKDIR runs in every build FROM this image, whose links and directory are unknown here.
          const path = expandText(ctx.model, inst, inst.argsText.trim());
          const fs = path === undefined ? undefined : KERNEL_FS.exec(normalize(unquote(path.trim())))?.[1];
          if (path?.trim().replace(/^["']/, '').startsWith('/') && fs) {
            out.push(
              ctx.finding(
                inst,
                `ONBUILD WORKDIR ${path.trim()} is under /${fs} in every build FROM this image, which the runtime mounts over the image: a working directory there reaches kernel or host objects (CVE-2024-21626); use a directory of the image`,
              ),
            );
          }
          continue;
        }
        const written = expandText(ctx.model, inst, inst.argsText.trim()) ?? unsetAsEmpty(ctx, inst);
        const text = written === undefined ? undefined : unquote(written.trim());
        if (text === undefined || text === '') {
          dir = undefined;
          continue;
        }
        dir = text.startsWith('/')
          ? normalize(text)
          : dir === undefined
            ? undefined
            : normalize(`${dir}/${text}`);
        if (dir === undefined) continue;
        links ??= symlinks(ctx);
        const real = KERNEL_FS.test(dir) ? dir : throughLinks(dir, linksAt(links, inst, inLineage));
        const fs = KERNEL_FS.exec(real)?.[1];
        if (fs) {
          const via = real === dir ? '' : ` (through a symlink to ${real})`;
          out.push(
            ctx.finding(
              inst,
              `WORKDIR ${dir}${via} is under /${fs}, which the runtime mounts over the image: a working directory there reaches kernel or host objects (CVE-2024-21626); use a directory of the image`,
            ),
          );
        }
      }
      endDir.set(stage.index, dir);
    }
    return out;
  },
});
