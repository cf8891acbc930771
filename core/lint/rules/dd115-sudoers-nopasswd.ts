import { fileWrites } from '../file-writes.js';
import { defineRule } from '../rule.js';
import { shippedStages } from '../stage-lineage.js';

const SUDOERS = /(^|\/)etc\/sudoers(\.d\/.+)?$/;
// `who hosts=(runas) TAG: commands`, e.g. `app ALL=(ALL:ALL) NOPASSWD: ALL`.
const RULE_LINE = /^\s*(\S+)\s+[^\s=]+\s*=\s*(\([^)]*\))?\s*((?:[A-Z_]+\s*:\s*)*)(.*)$/;
// The entries distributions ship: full sudo for root and the admin groups, behind a password.
const DISTRO_DEFAULT_GRANTEES = new Set(['root', '%sudo', '%admin', '%wheel', '%root']);

// Why a sudoers line weakens sudo, or undefined.
function weakening(line: string): string | undefined {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  if (/^Defaults\b.*!\s*authenticate\b/.test(text))
    return 'turns off password checks for sudo (!authenticate)';
  const m = RULE_LINE.exec(text);
  if (!m) return undefined;
  const [, who = '', , tags = '', commands = ''] = m;
  if (who === 'Defaults' || who.startsWith('Defaults')) return undefined;
  const all = commands.split(',').some((c) => c.trim() === 'ALL');
  if (!all) return undefined;
  if (/\bNOPASSWD\b/.test(tags)) return `lets ${who} run any command as root without a password`;
  if (!DISTRO_DEFAULT_GRANTEES.has(who)) return `lets ${who} run any command as root`;
  return undefined;
}

export const sudoersNopasswd = defineRule({
  id: 'DD115',
  level: 'warning',
  title: 'sudo grants root without a password',
  rationale:
    'A sudoers entry that lets a user run ALL commands (and NOPASSWD: without even a password) makes that user root: any code running as it, an exploited app or a dependency, can take over the container, which undoes the USER instruction. Grant NOPASSWD only for the exact commands needed (`app ALL=(root) NOPASSWD: /usr/sbin/nginx -s reload`), or drop sudo and do root work at build time.',
  check: (ctx) => {
    const shipped = shippedStages(ctx.stages);
    return fileWrites(ctx)
      .filter((w) => SUDOERS.test(w.path) && shipped.has(w.instruction.stage))
      .flatMap((w) => {
        const reasons = w.content.split('\n').map(weakening);
        const why = reasons.find((r) => r !== undefined);
        if (!why) return [];
        return [
          ctx.finding(
            w.loc,
            `${w.path} ${why}: code running as that user can become root; allow only the commands it needs`,
          ),
        ];
      });
  },
});
