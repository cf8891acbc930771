import {
  APK_VALUE_FLAGS,
  APT_VALUE_FLAGS,
  subcommand,
  subcommandOperands,
  type ToolRun,
  toolRuns,
} from '../package-managers.js';
import { rpmCall } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';

const APT = new Set(['apt-get', 'apt', 'aptitude']);
const RPM = new Set(['yum', 'dnf', 'dnf5', 'dnf-3', 'microdnf', 'zypper']);
// Sub-commands that upgrade every installed package (aptitude's safe-upgrade is its `upgrade`).
const APT_UPGRADES = new Set(['upgrade', 'dist-upgrade', 'full-upgrade', 'safe-upgrade']);
// rpmCall's canonical verbs; zypper `dist-upgrade` is DL3035's.
const DNF_UPGRADES = new Set(['upgrade', 'upgrade-minimal', 'distro-sync']);
const ZYPPER_UPGRADES = new Set(['update', 'patch']);
// pacman -Su / -Syu (sync with upgrade), however the letters are grouped.
const PACMAN_UPGRADE = /^-[A-Za-z]*S[A-Za-z]*u|^-[A-Za-z]*u[A-Za-z]*S/;

/** The whole-system upgrade a run performs, as written for the message, or undefined. */
function systemUpgrade(run: ToolRun): string | undefined {
  const { tool, args } = run;
  if (APT.has(tool)) {
    const call = subcommand(args, APT_VALUE_FLAGS);
    // Naming packages upgrades only those (as `install --only-upgrade` does): a targeted fix, not a system upgrade.
    if (call && APT_UPGRADES.has(call.name) && subcommandOperands(call, APT_VALUE_FLAGS).length === 0) {
      return `${tool} ${call.name}`;
    }
    return undefined;
  }
  if (tool === 'apk') {
    const call = subcommand(args, APK_VALUE_FLAGS);
    return call?.name === 'upgrade' && subcommandOperands(call, APK_VALUE_FLAGS).length === 0
      ? 'apk upgrade'
      : undefined;
  }
  if (RPM.has(tool)) {
    const call = rpmCall(run);
    if (!call || call.operands.length > 0) return undefined;
    const upgrades = call.tool === 'zypper' ? ZYPPER_UPGRADES : DNF_UPGRADES;
    return upgrades.has(call.verb) ? `${tool} ${call.verb}` : undefined;
  }
  if (tool === 'pacman') {
    const ops = args.filter((a) => !a.startsWith('-'));
    return args.some((a) => PACMAN_UPGRADE.test(a)) && ops.length === 0 ? 'pacman -Su' : undefined;
  }
  return undefined;
}

export const systemUpgradeInBuild = defineRule({
  id: 'DD120',
  level: 'info',
  title: 'Whole-system package upgrade in a RUN',
  rationale:
    "`apt-get upgrade`/`dist-upgrade`, `apk upgrade`, `yum`/`dnf update` and `zypper update` without package names upgrade every package of the base image to whatever the mirrors hold on the day of the build, so the same definition builds different images and a distribution upgrade can move the image to another release than its base. Mirrors Trivy DS024 and hadolint's retired DL3005, at info because both peers have since stepped back from it (upgrades also bring security fixes): the fix is a rebuilt base, which drydock does when a base is banned. Upgrading named packages (`apk upgrade openssl`, `apt-get install --only-upgrade x`) is not reported; `zypper dist-upgrade` is DL3035's.",
  check: (ctx) =>
    toolRuns(ctx, (t) => APT.has(t) || RPM.has(t) || t === 'apk' || t === 'pacman').flatMap((run) => {
      const what = systemUpgrade(run);
      return what
        ? [
            ctx.finding(
              run.command,
              `\`${what}\` upgrades every package of the base image at build time, so builds differ by date; use an updated base image, or upgrade only the packages that need a fix`,
            ),
          ]
        : [];
    }),
});
