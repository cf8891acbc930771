import type { Command, Instruction } from '../../dockerfile/model.js';
import {
  APK_VALUE_FLAGS,
  APT_VALUE_FLAGS,
  isInstallSubcommand,
  subcommand,
  type ToolRun,
  toolRuns,
} from '../package-managers.js';
import { rpmCall } from '../rpm-package-managers.js';
import { defineRule, type RuleFinding } from '../rule.js';

type Family = 'apt' | 'apk' | 'rpm';

interface Role {
  readonly family: Family;
  readonly does: 'update' | 'use';
  /** The sub-command as canonical verb (`update`, `makecache`, `refresh`). */
  readonly verb?: string;
}

const APT = new Set(['apt-get', 'apt', 'aptitude']);
const RPM = new Set(['yum', 'dnf', 'dnf5', 'dnf-3', 'microdnf', 'zypper']);
// Sub-commands besides installs that fetch packages with the index just downloaded.
const APT_USES = new Set([
  'upgrade',
  'dist-upgrade',
  'full-upgrade',
  'safe-upgrade',
  'build-dep',
  'source',
  'download',
  'satisfy',
]);
const APK_USES = new Set(['upgrade', 'fix', 'fetch']);
const RPM_USES = new Set([
  'upgrade',
  'upgrade-minimal',
  'distro-sync',
  'downgrade',
  'swap',
  'builddep',
  'download',
  'group upgrade',
  'module update',
  'update',
  'dist-upgrade',
  'patch',
  'install-new-recommends',
]);

/** What a package-manager run does with the index: refreshes it, uses it, or neither. */
function role(run: ToolRun): Role | undefined {
  if (APT.has(run.tool)) {
    const sub = subcommand(run.args, APT_VALUE_FLAGS)?.name;
    if (sub === 'update') return { family: 'apt', does: 'update', verb: sub };
    return isInstallSubcommand('apt', sub) || APT_USES.has(sub ?? '')
      ? { family: 'apt', does: 'use' }
      : undefined;
  }
  if (run.tool === 'apk') {
    const sub = subcommand(run.args, APK_VALUE_FLAGS)?.name;
    if (sub === 'update') return { family: 'apk', does: 'update', verb: sub };
    return isInstallSubcommand('apk', sub) || APK_USES.has(sub ?? '')
      ? { family: 'apk', does: 'use' }
      : undefined;
  }
  const call = RPM.has(run.tool) ? rpmCall(run) : undefined;
  if (!call) return undefined;
  // `yum update` upgrades packages (DD120's); the index refresh is `makecache` (zypper: `refresh`).
  if (call.verb === 'makecache' || call.verb === 'refresh')
    return { family: 'rpm', does: 'update', verb: call.verb };
  return isInstallSubcommand('rpm', call.verb) || RPM_USES.has(call.verb)
    ? { family: 'rpm', does: 'use' }
    : undefined;
}

const HOW: Readonly<Record<Family, string>> = {
  apt: '`apt-get update && apt-get install …`',
  apk: '`apk add --no-cache …`',
  rpm: 'the install itself (`dnf install -y …` refreshes what it needs)',
};

export const packageIndexUpdateAlone = defineRule({
  id: 'DD122',
  level: 'warning',
  title: 'Package index updated without an install in the same RUN',
  rationale:
    'A RUN that only refreshes the package index (`apt-get update`, `apk update`, `dnf makecache`, `zypper refresh`) is cached as its own layer, so a later RUN that installs uses an index from whenever that layer was built: it installs outdated packages or fails when the mirror has moved on. Mirrors Checkov CKV_DOCKER_5 and Trivy DS017: the refresh must be followed, in the same RUN, by an install or upgrade of the same package manager family. An install hidden in a script the RUN calls cannot be seen and is reported.',
  check: (ctx) => {
    const out: RuleFinding[] = [];
    const runs = toolRuns(ctx, (t) => APT.has(t) || RPM.has(t) || t === 'apk');
    const byRun = new Map<Instruction, (Role & { run: ToolRun })[]>();
    for (const run of runs) {
      const r = role(run);
      if (!r) continue;
      const list = byRun.get(run.instruction) ?? [];
      list.push({ run, ...r });
      byRun.set(run.instruction, list);
    }
    for (const list of byRun.values()) {
      // Per family, the last refresh with no use after it in this RUN.
      const reported = new Set<Family>();
      for (let i = list.length - 1; i >= 0; i--) {
        const entry = list[i];
        if (!entry || entry.does !== 'update' || reported.has(entry.family)) continue;
        const usedAfter = list.some(
          (o) => o.family === entry.family && o.does === 'use' && o.run.order > entry.run.order,
        );
        reported.add(entry.family);
        if (usedAfter) continue;
        const at: Command = entry.run.command;
        out.push(
          ctx.finding(
            at,
            `\`${entry.run.tool} ${entry.verb ?? 'update'}\` with no install after it in the same RUN: a later RUN installs from this layer's cached, outdated index; use ${HOW[entry.family]} in one RUN`,
          ),
        );
      }
    }
    return out.sort((a, b) => a.line - b.line || a.column - b.column);
  },
});
