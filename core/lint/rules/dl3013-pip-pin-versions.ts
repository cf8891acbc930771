import {
  isDynamic,
  isInstallSubcommand,
  listNames,
  mayBePip,
  PIP_VALUE_FLAGS,
  pipArgs,
  type SubcommandCall,
  subcommand,
  subcommandOperands,
  toolRuns,
} from '../package-managers.js';
import { defineRule } from '../rule.js';

const PIPX_VALUE_FLAGS = [
  'python',
  'suffix',
  'pip-args',
  'index-url',
  'i',
  'spec',
  'preinstall',
  'fetch-python',
];
const SPECIFIER = /(===|==|~=|!=|>=|<=|<|>)/;
const ARCHIVE = /\.(whl|tar\.gz|tgz|tar\.bz2|tar\.xz|zip)$/i;
const VCS = /^(git|hg|svn|bzr)\+/i;

// A VCS URL pins with `@ref` after the repository path (`git+https://host/r.git@v1`); a user
// before the host (`git+ssh://git@host/r.git`) does not.
function vcsPinned(url: string): boolean {
  const afterScheme = url.replace(/^[a-z+]+:\/\//i, '');
  const path = afterScheme.slice(afterScheme.indexOf('/') + 1);
  return afterScheme.includes('/') && path.split('#')[0]?.includes('@') === true;
}

function isPinned(spec: string): boolean {
  // PEP 508 direct reference: `name @ git+https://…@v1` or `name @ https://…/x.whl`.
  const direct = /^[A-Za-z0-9._[\],-]+\s*@\s*(\S+:\/\/.*)$/.exec(spec);
  const target = direct?.[1] ?? spec;
  if (VCS.test(target)) return vcsPinned(target);
  if (SPECIFIER.test(target)) return true;
  // Local paths, archives and plain URLs install exactly the file they name.
  return target.startsWith('.') || target.includes('/') || ARCHIVE.test(target);
}

function unpinned(call: SubcommandCall, valueFlags: readonly string[]): string[] {
  // A constraints file pins every requirement, named here or not.
  if (call.rest.some((a) => /^(-c|--constraint)(=|$)/.test(a) || /^-c./.test(a))) return [];
  return subcommandOperands(call, valueFlags).filter((p) => !isDynamic(p) && !isPinned(p));
}

export const pipPinVersions = defineRule({
  id: 'DL3013',
  level: 'warning',
  title:
    'Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`',
  rationale:
    'An unpinned requirement installs the newest release on the day of the build, so rebuilding the same definition can pull in a broken or compromised version without any change to review.',
  check: (ctx) =>
    toolRuns(ctx, (t) => mayBePip(t) || t === 'pipx').flatMap((run) => {
      const isPipx = run.tool === 'pipx';
      const args = isPipx ? run.args : pipArgs(run);
      const valueFlags = isPipx ? PIPX_VALUE_FLAGS : PIP_VALUE_FLAGS;
      const call = args && subcommand(args, valueFlags);
      if (!call || !isInstallSubcommand('pip', call.name)) return [];
      const names = unpinned(call, valueFlags);
      if (names.length === 0) return [];
      const tool = isPipx ? 'pipx' : 'pip';
      return [
        ctx.finding(
          run.command,
          `Pin versions in ${tool}: ${listNames(names)} ${names.length === 1 ? 'has' : 'have'} no version; use \`${tool} install <package>==<version>\`${isPipx ? '' : ' or a requirements file'}`,
        ),
      ];
    }),
});
