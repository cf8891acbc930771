import type { Loc } from '../../dockerfile/source-map.js';
import { fileWrites } from '../file-writes.js';
import { toolRuns } from '../package-managers.js';
import { defineRule, type RuleFinding } from '../rule.js';
import { shippedStages } from '../stage-lineage.js';

// Kernel arguments that switch SELinux or AppArmor off at boot.
const OFF_KARGS = /(^|[\s"'=])(selinux=0|enforcing=0|apparmor=0|security=none)(?=[\s"']|$)/;
const SELINUX_OFF = /^\s*SELINUX\s*=\s*["']?(disabled|permissive)\b/im;

function commandReason(tool: string, args: readonly string[]): string | undefined {
  const ops = args.filter((a) => !a.startsWith('-'));
  const [first = '', second = ''] = ops;
  switch (tool) {
    case 'setenforce':
      return /^(0|permissive)$/i.test(first) ? 'setenforce puts SELinux in permissive mode' : undefined;
    case 'semanage':
      return first === 'permissive' && args.some((a) => a === '-a' || a === '--add')
        ? 'semanage makes an SELinux domain permissive'
        : undefined;
    case 'aa-teardown':
      return 'aa-teardown unloads every AppArmor profile';
    case 'aa-disable':
    case 'aa-complain':
      return `${tool} stops AppArmor from enforcing a profile`;
    case 'apparmor_parser':
      return args.some((a) => a === '-R' || a === '--remove')
        ? 'apparmor_parser -R removes an AppArmor profile'
        : undefined;
    case 'systemctl':
      return ['disable', 'stop', 'mask'].includes(first) && /^apparmor(\.service)?$/.test(second)
        ? `systemctl ${first} apparmor turns AppArmor off`
        : undefined;
    case 'service':
      return first === 'apparmor' && ['stop', 'teardown'].includes(second)
        ? `service apparmor ${second}`
        : undefined;
    case 'update-rc.d':
      return first === 'apparmor' && ['disable', 'remove'].includes(second)
        ? `update-rc.d apparmor ${second}`
        : undefined;
    case 'grubby':
    case 'rpm-ostree':
    case 'bootc':
      return args.some((a) => OFF_KARGS.test(a))
        ? `${tool} adds a kernel argument that disables SELinux or AppArmor`
        : undefined;
    default:
      return undefined;
  }
}

export const macDisabled = defineRule({
  id: 'DD114',
  level: 'warning',
  title: 'SELinux or AppArmor switched off',
  rationale:
    'SELinux and AppArmor confine what a compromised process can reach. In an ordinary container the host enforces them and these commands fail or do nothing, but they take effect when the image is booted (bootc, VM and system-container images) or run privileged, and they show a workload made to run by switching protection off instead of fixing its policy (a local module, a boolean, a profile).',
  check: (ctx) => {
    const out: RuleFinding[] = [];
    const shipped = shippedStages(ctx.stages);
    const report = (loc: Loc, why: string) =>
      out.push(
        ctx.finding(
          loc,
          `${why}: mandatory access control no longer confines the workload; fix the policy instead`,
        ),
      );
    for (const run of toolRuns(ctx, (t) => t !== 'ln')) {
      if (!shipped.has(run.instruction.stage)) continue;
      const why = commandReason(run.tool, run.args);
      if (why) report(run.command.loc, why);
    }
    for (const w of fileWrites(ctx)) {
      if (!shipped.has(w.instruction.stage)) continue;
      if (/(^|\/)selinux\/config$/.test(w.path) && SELINUX_OFF.test(w.content)) {
        report(w.loc, `${w.path} is set to ${SELINUX_OFF.exec(w.content)?.[1]?.toLowerCase()}`);
      } else if (
        /^\/etc\/(default\/grub|kernel\/cmdline)$|^\/usr\/lib\/bootc\/kargs\.d\//.test(w.path) &&
        OFF_KARGS.test(w.content)
      ) {
        report(w.loc, `${w.path} gets a kernel argument that disables SELinux or AppArmor`);
      } else if (/^\/etc\/apparmor\.d\/(disable|force-complain)\//.test(w.path)) {
        report(w.loc, `${w.path} takes an AppArmor profile out of enforcement`);
      }
    }
    // `ln -s /etc/apparmor.d/profile /etc/apparmor.d/disable/` is the documented way to disable a profile.
    for (const run of toolRuns(ctx, (t) => t === 'ln')) {
      if (
        shipped.has(run.instruction.stage) &&
        run.args.some((a) => /^\/etc\/apparmor\.d\/(disable|force-complain)\/?/.test(a))
      ) {
        report(
          run.command.loc,
          'a link in /etc/apparmor.d/disable takes an AppArmor profile out of enforcement',
        );
      }
    }
    return out.sort((a, b) => a.line - b.line || a.column - b.column);
  },
});
