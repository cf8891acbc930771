import type { Loc } from '../../dockerfile/source-map.js';
import { fileWrites } from '../file-writes.js';
import { toolRuns } from '../package-managers.js';
import { defineRule, type RuleFinding } from '../rule.js';
import { shippedStages } from '../stage-lineage.js';

const SSHD_CONFIG = /(^|\/)sshd_config(\.d\/[^/]+)?$/;
const WEAK: readonly (readonly [string, string])[] = [
  ['PermitRootLogin', 'root can log in with a password'],
  ['PasswordAuthentication', 'passwords are accepted, so they can be guessed'],
  ['PermitEmptyPasswords', 'accounts with an empty password can log in'],
];
// What a sed pattern replaces tells which setting a bare `yes` replacement belongs to.
const PATTERN_HINTS: Readonly<Record<string, RegExp>> = {
  PermitRootLogin: /PermitRootLogin|prohibit-password|without-password/i,
  PasswordAuthentication: /PasswordAuthentication/i,
  PermitEmptyPasswords: /PermitEmptyPasswords/i,
};

// The weak settings a config text turns on.
function weakSettings(content: string, pattern = ''): string[] {
  const lines = content.split('\n').filter((l) => !/^\s*#/.test(l));
  return WEAK.filter(([key]) => {
    const set = new RegExp(`^\\s*${key}\\s*[\\s=]\\s*["']?yes\\b`, 'im');
    if (lines.some((l) => set.test(l))) return true;
    return lines.some((l) => /^\s*yes\s*$/i.test(l)) && (PATTERN_HINTS[key]?.test(pattern) ?? false);
  }).map(([key]) => key);
}

function explain(keys: readonly string[]): string {
  return keys.map((k) => `${k} yes (${WEAK.find(([w]) => w === k)?.[1]})`).join(', ');
}

// `sshd -o PermitRootLogin=yes` and `-oPasswordAuthentication yes`.
function optionSettings(text: string): string[] {
  return WEAK.filter(([key]) => new RegExp(`-o\\s*["']?${key}[=\\s]["']?yes\\b`, 'i').test(text)).map(
    ([k]) => k,
  );
}

export const weakSshdConfig = defineRule({
  id: 'DD116',
  level: 'error',
  title: 'SSH server configured to accept root or password logins',
  rationale:
    'PermitRootLogin yes, PasswordAuthentication yes and PermitEmptyPasswords yes open the daemon to password guessing, and to root directly; every container from the image carries the setting, and its passwords are usually baked in too. Use key-only authentication for a named user, or no SSH daemon at all (docker exec / kubectl exec).',
  check: (ctx) => {
    const out: RuleFinding[] = [];
    const shipped = shippedStages(ctx.stages);
    const report = (loc: Loc, where: string, keys: readonly string[]) =>
      out.push(ctx.finding(loc, `${where} sets ${explain(keys)}; allow key-only logins for a named user`));
    for (const w of fileWrites(ctx)) {
      if (!SSHD_CONFIG.test(w.path) || !shipped.has(w.instruction.stage)) continue;
      const keys = weakSettings(w.content, w.via === 'sed' ? w.pattern : undefined);
      if (keys.length > 0) report(w.loc, w.path, keys);
    }
    for (const run of toolRuns(ctx, (t) => t === 'sshd')) {
      if (!shipped.has(run.instruction.stage)) continue;
      const keys = optionSettings(run.args.join(' '));
      if (keys.length > 0) report(run.command.loc, 'sshd -o', keys);
    }
    for (const inst of ctx.of('CMD', 'ENTRYPOINT')) {
      if (!shipped.has(inst.stage)) continue;
      const keys = optionSettings((inst.json ?? [inst.argsText]).join(' '));
      if (keys.length > 0) report(inst.loc, `${inst.keyword} sshd -o`, keys);
    }
    return out.sort((a, b) => a.line - b.line || a.column - b.column);
  },
});
