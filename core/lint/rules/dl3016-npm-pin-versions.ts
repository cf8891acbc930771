import {
  isDynamic,
  isInstallSubcommand,
  listNames,
  NPM_VALUE_FLAGS,
  subcommand,
  subcommandOperands,
  toolRuns,
} from '../package-managers.js';
import { defineRule } from '../rule.js';

const GIT = /^(git(\+[a-z]+)?:\/\/|(github|gitlab|bitbucket|gist):)/i;
const GITHUB_SHORTHAND = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(#.*)?$/;
const TARBALL = /\.(tar|tar\.gz|tgz)$/i;
const LOCAL = /^(\.{1,2}|~)?\/|^\.{1,2}$|^file:/;
// Tags and wildcards name whatever is newest, just like no version at all.
const FLOATING = /^(latest|next|\*|x|)$/i;

function isPinned(spec: string): boolean {
  if (LOCAL.test(spec) || TARBALL.test(spec) || /^https?:\/\//i.test(spec)) return true;
  if (GIT.test(spec) || GITHUB_SHORTHAND.test(spec)) return /#./.test(spec);
  // `name@range` or `@scope/name@range`; the scope's own `@` does not count.
  const at = spec.indexOf('@', 1);
  return at > 0 && !FLOATING.test(spec.slice(at + 1).trim());
}

export const npmPinVersions = defineRule({
  id: 'DL3016',
  level: 'warning',
  title: 'Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`',
  rationale:
    'A package named without a version (or as `@latest`) installs the newest release on the day of the build, so the same definition builds different code; pin it, or install from a lockfile with `npm ci`.',
  check: (ctx) =>
    toolRuns(ctx, (t) => t === 'npm').flatMap((run) => {
      const call = subcommand(run.args, NPM_VALUE_FLAGS);
      if (!call || !isInstallSubcommand('npm', call.name)) return [];
      const names = subcommandOperands(call, NPM_VALUE_FLAGS).filter((p) => !isDynamic(p) && !isPinned(p));
      if (names.length === 0) return [];
      return [
        ctx.finding(
          run.command,
          `Pin versions in npm: ${listNames(names)} ${names.length === 1 ? 'has' : 'have'} no fixed version; use \`npm install <package>@<version>\``,
        ),
      ];
    }),
});
