import { isInstallSubcommand, type ToolRun, toolRuns } from '../package-managers.js';
import { defineRule } from '../rule.js';

// Build flags of `go install/get/run` that take the next argument as their value (`-ldflags '-s -w'`).
const VALUE_FLAGS = new Set([
  'C',
  'o',
  'p',
  'mod',
  'modfile',
  'tags',
  'ldflags',
  'gcflags',
  'asmflags',
  'gccgoflags',
  'buildmode',
  'compiler',
  'overlay',
  'pkgdir',
  'pgo',
  'toolexec',
  'exec',
  'covermode',
  'coverpkg',
  'installsuffix',
]);
// Version queries that move: the module's newest release or a branch tip.
const FLOATING = new Set(['latest', 'upgrade', 'patch', 'master', 'main', 'head']);

// Package arguments: every operand of install and get; for run only the first (the rest go to the program).
function packages(run: ToolRun): string[] {
  const [sub, ...args] = run.args;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      out.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      const name = a.replace(/^--?/, '');
      if (!name.includes('=') && VALUE_FLAGS.has(name)) i++;
      continue;
    }
    out.push(a);
    if (sub === 'run') break;
  }
  return out;
}

// `.`, `./cmd/x`, `/go/src/app`, `main.go`, `std`: code already in the build context or the toolchain.
const isLocal = (pkg: string): boolean =>
  pkg.startsWith('.') || pkg.startsWith('/') || pkg.endsWith('.go') || ['std', 'cmd', 'all'].includes(pkg);

// Why a package is unpinned, or undefined when it is pinned or cannot be known before the build.
function unpinned(pkg: string): string | undefined {
  if (isLocal(pkg)) return undefined;
  const at = pkg.lastIndexOf('@');
  if (at < 0) return pkg.includes('$') ? undefined : `\`${pkg}\` has no version`;
  const version = pkg.slice(at + 1);
  return FLOATING.has(version.toLowerCase()) ? `\`${pkg}\` follows a moving version` : undefined;
}

export const goVersionPinning = defineRule({
  id: 'DL3062',
  level: 'warning',
  title: 'Pin versions in go install. Instead of `go install <package>` use `go install <package>@<version>`',
  rationale:
    'Without `@<version>` (or with `@latest`) go fetches whatever the module proxy serves on the day of the build, so two builds of the same definition install different code.',
  check: (ctx) =>
    toolRuns(ctx, (t) => t === 'go').flatMap((run) => {
      const sub = run.args[0];
      // `go run pkg@version` fetches and builds like an install.
      if (!isInstallSubcommand('go', sub) && sub !== 'run') return [];
      const why = packages(run)
        .map(unpinned)
        .filter((w): w is string => w !== undefined);
      if (why.length === 0) return [];
      return [ctx.finding(run.command, `go ${sub}: ${why.join(', ')}; use \`<package>@<version>\``)];
    }),
});
