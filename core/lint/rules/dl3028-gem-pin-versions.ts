import {
  isDynamic,
  isInstallSubcommand,
  listNames,
  type SubcommandCall,
  subcommand,
  toolRuns,
} from '../package-managers.js';
import { defineRule } from '../rule.js';

const VALUE_FLAGS = [
  'v',
  'version',
  'platform',
  'i',
  'install-dir',
  'n',
  'bindir',
  'build-root',
  's',
  'source',
  'p',
  'http-proxy',
  'g',
  'file',
  'P',
  'trust-policy',
  'target-rbconfig',
  'config-file',
  'without',
  'document',
];
// Options that take no value, so the word after them is a gem.
const BOOLEAN_FLAGS = new Set([
  'no-document',
  'no-ri',
  'no-rdoc',
  'user-install',
  'no-user-install',
  'conservative',
  'minimal-deps',
  'force',
  'no-force',
  'local',
  'remote',
  'both',
  'prerelease',
  'no-prerelease',
  'ignore-dependencies',
  'development',
  'development-all',
  'verbose',
  'quiet',
  'silent',
  'env-shebang',
  'no-env-shebang',
  'default',
  'explain',
  'lock',
  'no-lock',
  'suggestions',
  'no-suggestions',
  'clear-sources',
  'wrappers',
  'no-wrappers',
  'vendor',
  'post-install-message',
  'no-post-install-message',
  'norc',
  'backtrace',
  'debug',
  'update-sources',
  'no-update-sources',
  'format-executable',
  'no-format-executable',
]);

function gems(call: SubcommandCall): string[] {
  const out: string[] = [];
  const args = call.rest;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    // What follows `--` goes to the gem's build, not to gem.
    if (a === '--') break;
    if (a.startsWith('--')) {
      const [name = '', inline] = a.slice(2).split('=');
      // An option gem does not know is assumed to take a value rather than turn it into a gem.
      if (inline === undefined && !BOOLEAN_FLAGS.has(name) && !args[i + 1]?.startsWith('-')) i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      if (a.length === 2 && VALUE_FLAGS.includes(a[1] ?? '')) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

// `name:version` pins; a path or a `.gem` file installs exactly that file.
const isPinned = (gem: string): boolean => gem.includes(':') || gem.includes('/') || gem.endsWith('.gem');

export const gemPinVersions = defineRule({
  id: 'DL3028',
  level: 'warning',
  title: 'Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`',
  rationale:
    'An unpinned gem installs the newest release on the day of the build, so the same definition builds different code and a bad release reaches the image without any change to review.',
  check: (ctx) =>
    toolRuns(ctx, (t) => t === 'gem').flatMap((run) => {
      const call = subcommand(run.args, VALUE_FLAGS);
      if (!call || !isInstallSubcommand('gem', call.name)) return [];
      // `-v`/`--version` pins the gems named with it.
      if (call.rest.some((a) => /^(-v|--version)(=|$)/.test(a) || /^-v./.test(a))) return [];
      const names = gems(call).filter((g) => !isDynamic(g) && !isPinned(g));
      if (names.length === 0) return [];
      return [
        ctx.finding(
          run.command,
          `Pin versions in gem install: ${listNames(names)} ${names.length === 1 ? 'has' : 'have'} no version; use \`gem install <gem>:<version>\` or \`-v <version>\``,
        ),
      ];
    }),
});
