import { hasFlag } from '../../dockerfile/command-args.js';
import { fileWrites } from '../file-writes.js';
import {
  APK_VALUE_FLAGS,
  APT_VALUE_FLAGS,
  subcommand,
  subcommandOperands,
  type ToolRun,
  toolRuns,
} from '../package-managers.js';
import { rpmCall } from '../rpm-package-managers.js';
import { defineRule, type RuleContext } from '../rule.js';
import { shippedStages } from '../stage-lineage.js';

// Packages that install an SSH server; `ssh` (Debian) and `openssh` (Alpine) are meta packages pulling one in.
const APT_SERVERS = new Set([
  'openssh-server',
  'ssh',
  'dropbear',
  'dropbear-bin',
  'dropbear-run',
  'tinysshd',
]);
const APK_SERVERS = new Set(['openssh-server', 'openssh', 'dropbear']);
const RPM_SERVER = /^(openssh-server|dropbear)([-.:]\d.*)?$/;
const DAEMONS = /^(sshd|dropbear)$/;
const DAEMON_IN_TEXT = /(^|[\s;&|/"'])(sshd|dropbear)(?=[\s"',\]]|$)/;

interface Evidence {
  readonly line: number;
  readonly column: number;
  readonly stage: number;
  readonly what: string;
}

function installedServer(run: ToolRun): string | undefined {
  let names: string[] = [];
  let servers: (name: string) => boolean = () => false;
  if (['apt-get', 'apt', 'aptitude'].includes(run.tool)) {
    const call = subcommand(run.args, APT_VALUE_FLAGS);
    if (call?.name !== 'install') return undefined;
    names = subcommandOperands(call, APT_VALUE_FLAGS).map((p) => p.split(/[=:]/)[0] ?? p);
    servers = (n) => APT_SERVERS.has(n);
  } else if (run.tool === 'apk') {
    const call = subcommand(run.args, APK_VALUE_FLAGS);
    if (call?.name !== 'add') return undefined;
    names = subcommandOperands(call, APK_VALUE_FLAGS).map((p) => p.split(/[=~<>]/)[0] ?? p);
    servers = (n) => APK_SERVERS.has(n);
  } else {
    const call = rpmCall(run);
    if (call?.verb !== 'install') return undefined;
    names = call.operands.map((w) => w.value);
    servers = (n) => RPM_SERVER.test(n);
  }
  return names.find(servers);
}

function startsDaemon(run: ToolRun): boolean {
  if (DAEMONS.test(run.tool)) return true;
  const [first, second] = run.args.filter((a) => !a.startsWith('-'));
  if (run.tool === 'service')
    return /^sshd?$/.test(first ?? '') && ['start', 'restart'].includes(second ?? '');
  if (run.tool === 'systemctl')
    return ['enable', 'start'].includes(first ?? '') && /^sshd?(\.service)?$/.test(second ?? '');
  if (run.tool === 'rc-update') return first === 'add' && /^(sshd|dropbear)$/.test(second ?? '');
  return false;
}

function evidence(ctx: RuleContext): Evidence[] {
  const found: Evidence[] = [];
  const at = (loc: { line: number; column: number }, stage: number, what: string) =>
    found.push({ line: loc.line, column: loc.column, stage, what });
  for (const run of toolRuns(ctx, () => true)) {
    const pkg = installedServer(run);
    if (pkg) at(run.command.loc, run.instruction.stage, `installs ${pkg}`);
    else if (startsDaemon(run) && !hasFlag(run, 'V', 'version'))
      at(run.command.loc, run.instruction.stage, 'starts the SSH daemon');
  }
  for (const inst of ctx.of('CMD', 'ENTRYPOINT')) {
    const words = inst.json ?? inst.argsText.split(/\s+/);
    const daemon = words.some((w) => DAEMONS.test(w.split('/').at(-1) ?? ''));
    if (daemon || /\bservice\s+sshd?\s+start\b/.test(inst.argsText))
      at(inst.loc, inst.stage, `${inst.keyword} runs the SSH daemon`);
  }
  for (const inst of ctx.of('EXPOSE')) {
    if (inst.args.some((a) => /^22(\/tcp)?$/i.test(a))) at(inst.loc, inst.stage, 'EXPOSE 22');
  }
  // Process supervisors (supervisord, s6, runit) started from configuration the Dockerfile writes.
  for (const w of fileWrites(ctx, { copies: true })) {
    if (/^\s*command\s*=/m.test(w.content) && DAEMON_IN_TEXT.test(w.content)) {
      at(w.loc, w.instruction.stage, `${w.path} has a supervisor run the SSH daemon`);
    }
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column);
}

export const sshdInImage = defineRule({
  id: 'DD113',
  level: 'warning',
  title: 'SSH server in the image',
  rationale:
    'A container needs no SSH daemon: `docker exec` and `kubectl exec` reach it through the runtime, with its access control and audit. An sshd adds a listening service that accepts logins, needs its own keys or passwords managed inside the image, and host keys generated at build time are shared by every container from the image. Reported once per shipped image, at the first sign of it.',
  check: (ctx) => {
    const shipped = shippedStages(ctx.stages);
    const signs = evidence(ctx).filter((e) => shipped.has(e.stage));
    const first = signs[0];
    if (!first) return [];
    const list = signs.map((e) => `${e.what} (line ${e.line})`).join(', ');
    const onlyExpose = signs.every((e) => e.what === 'EXPOSE 22');
    return [
      ctx.finding(
        first,
        onlyExpose
          ? `${list} announces an SSH port though nothing here installs an SSH server: the base image runs one or the EXPOSE is left over; drop it and use docker exec / kubectl exec`
          : `SSH server in the image: ${list}; use docker exec / kubectl exec instead of a daemon that accepts logins and carries its own keys`,
      ),
    ];
  },
});
