import { operands, transferArgs, unwrap } from '../../dockerfile/command-args.js';
import { externalImages } from '../../dockerfile/image-uses.js';
import type { Command, Instruction, Stage } from '../../dockerfile/model.js';
import { APK_VALUE_FLAGS, APT_VALUE_FLAGS, subcommand } from '../package-managers.js';
import { type CopiedFile, defineRule } from '../rule.js';
import { stageLineage } from '../stage-lineage.js';

// Base images whose own USER is not root, so a derived image without USER runs unprivileged.
const NON_ROOT_BASES: readonly RegExp[] = [
  /nonroot|rootless|unprivileged|chiseled/,
  /^cgr\.dev\/chainguard\/[^:@]+(?::(?![^@]*-dev\b)[^@]*)?(@.*)?$/,
  /^bitnami\/(?!minideb)/,
  /(^|\/)ubi\d+\/(nodejs|python|ruby|php|perl|nginx|httpd|openjdk|go-toolset|dotnet|s2i-)/,
  /^(jenkins\/jenkins|grafana\/grafana|sonatype\/nexus3|mongo-express|sonarqube|odoo|solr|memcached|kong)(:|@|$)/,
  /^(prom|quay\.io\/prometheus|jupyter|quay\.io\/jupyter|docker\.elastic\.co)\//,
  /^(elasticsearch|kibana|logstash)(:|@|$)/,
  /^quay\.io\/keycloak\/keycloak(:|@|$)/,
];

// Official images that start as root and drop to a service user in their entrypoint (gosu, su-exec, setpriv).
const DROPPING_BASES =
  /^(postgres|postgis\/postgis|redis|mysql|mariadb|percona|mongo|rabbitmq|cassandra|couchdb|ghost|redmine|influxdb|telegraf|zookeeper|haproxy|(hashicorp\/)?(vault|consul)|gitea\/gitea)(:|@|$)/;

// Servers that start as root only to bind ports and read keys, and serve requests from unprivileged workers.
const SELF_DROPPING_DAEMON =
  /(^|[\s/"'])(nginx|openresty|httpd|apache2|apache2-foreground|httpd-foreground|apache2ctl|apachectl|php-fpm[\d.]*|sshd|postfix|squid|smbd|vsftpd|chronyd|haproxy|dnsmasq)(?![\w-])/;
// Official images whose default command is such a server (php: only its fpm and apache variants).
const DAEMON_BASES = /^(nginx|openresty\/openresty|httpd|php:[^@]*(fpm|apache)[^@]*)(:|@|$)/;

// Windows images run as ContainerAdministrator unless they say otherwise; nanoserver defaults to ContainerUser.
const WINDOWS_BASE = /(^|\/)(windows|servercore|nanoserver)|windowsservercore|nanoserver|dotnet\/framework/;

// Tools whose only job in an image is dropping privileges at run time; installing or copying them says so.
const DROP_TOOLS = new Set(['gosu', 'su-exec']);
// Privilege drops that can appear in ENTRYPOINT or CMD.
const DROP_AT_START =
  /(^|[^\w-])(gosu|su-exec|setpriv|runuser|s6-setuidgid|setuidgid|chpst\s+-u|su\s+-c|su\s+\S+\s+-c|chroot\s+--userspec)([^\w-]|$)/;

function normalizeImage(image: string): string {
  return image
    .toLowerCase()
    .replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '')
    .replace(/^library\//, '');
}

function isRootUser(value: string, windows: boolean): boolean {
  const user = (value.split(':')[0] ?? '').toLowerCase();
  return windows
    ? user === 'containeradministrator' || user === 'administrator'
    : user === 'root' || user === '0';
}

function commandText(inst: Instruction): string {
  return inst.json ? inst.json.join(' ') : inst.argsText;
}

const fileName = (path: string): string => path.replace(/\/+$/, '').split('/').at(-1) ?? '';
const isDropTool = (path: string): boolean => DROP_TOOLS.has(fileName(path));
// A package operand without its version or architecture (`gosu=1.17-1`, `gosu:amd64`, `su-exec>=0.2`).
const packageName = (spec: string): string => spec.split(/[=:<>~]/)[0] ?? '';

// The value of a short option that may close a cluster (`-fsSLo FILE`, `-qOFILE`) or of its long form.
function optionValue(args: readonly string[], short: string, long: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') break;
    if (a === `--${long}`) out.push(args[++i] ?? '');
    else if (a.startsWith(`--${long}=`)) out.push(a.slice(long.length + 3));
    else if (/^-[A-Za-z]/.test(a) && a.includes(short)) {
      const rest = a.slice(a.indexOf(short) + 1);
      out.push(rest === '' ? (args[++i] ?? '') : rest);
    }
  }
  return out;
}

// Package installs that name a drop tool (apt-get/apt/apk/yum/dnf/microdnf/zypper).
function installsDropPackage(name: string, args: readonly string[]): boolean {
  const valueFlags = name === 'apk' ? APK_VALUE_FLAGS : APT_VALUE_FLAGS;
  const verbs = name === 'apk' ? ['add'] : ['install', 'in'];
  if (!['apt-get', 'apt', 'aptitude', 'apk', 'yum', 'dnf', 'microdnf', 'zypper'].includes(name)) return false;
  const call = subcommand(args, valueFlags);
  if (!call || !verbs.includes(call.name)) return false;
  return operands({ args: call.rest }, valueFlags).some((spec) => DROP_TOOLS.has(packageName(spec)));
}

/** True when a RUN command installs gosu or su-exec: a package, a download, or a copy to that name. */
function installsDropTool(cmd: Command): boolean {
  const { name, args } = unwrap(cmd);
  if (installsDropPackage(name, args)) return true;
  const redirected = cmd.redirects.filter((r) => r.op.startsWith('>') || r.op.startsWith('&>'));
  if (name === 'curl' || name === 'wget') {
    const outputs =
      name === 'curl' ? optionValue(args, 'o', 'output') : optionValue(args, 'O', 'output-document');
    return [...outputs, ...redirected.map((r) => r.target)].some(isDropTool);
  }
  // A binary downloaded or built elsewhere and put in place under its own name.
  if (name === 'cp' || name === 'mv' || name === 'install') {
    const targets = operands({ args }, ['m', 'mode', 'o', 'owner', 'g', 'group', 'S', 'suffix']);
    const dest = optionValue(args, 't', 'target-directory')[0];
    const last = dest ?? targets.at(-1) ?? '';
    const sources = dest === undefined ? targets.slice(0, -1) : targets;
    return isDropTool(last) || (/\/$|(^|\/)bin$/.test(last) && sources.some(isDropTool));
  }
  return false;
}

// Where a bare program name of ENTRYPOINT/CMD is found: the PATH of official images.
const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** True when the program an ENTRYPOINT/CMD starts is a script the build copies in whose text drops root. */
function startScriptDrops(copied: readonly CopiedFile[], start: Instruction): boolean {
  const first = (start.json ? start.json[0] : start.argsText.trim().split(/\s+/)[0]) ?? '';
  if (first === '') return false;
  const bare = first.replace(/^\.\//, '');
  // A bare name is looked up on PATH; a relative path (`./entrypoint.sh`) under whatever WORKDIR the copy used.
  const at = (dest: string): boolean =>
    first.startsWith('/')
      ? dest === first
      : first.includes('/')
        ? dest.endsWith(`/${bare}`)
        : PATH_DIRS.some((d) => dest === `${d}/${bare}`);
  // The last copy to a path is what the image holds.
  const text = copied.filter((f) => f.destination !== undefined && at(f.destination)).at(-1)?.content;
  return text !== undefined && DROP_AT_START.test(text);
}

export const finalUserRoot = defineRule({
  id: 'DD101',
  level: 'warning',
  title: 'Final image runs as root',
  rationale:
    'A container that runs as root turns any code-execution bug into root in the container, one kernel or runtime flaw away from the host, and lets the process rewrite its own binaries. Set a non-root USER in the final stage. Images that start as root only to drop privileges at run time (gosu, su-exec, setpriv, runuser, `chroot --userspec`, also in an entrypoint script the Dockerfile or the pushed tree holds), or that build on a base which already runs as a non-root user, are not reported.',
  check: (ctx) => {
    const final = ctx.stages[ctx.stages.length - 1];
    if (!final) return [];
    // A FROM naming an earlier stage inherits its USER, so the whole lineage counts, oldest first.
    const chain = stageLineage(ctx.stages, final.index)
      .reverse()
      .map((i) => ctx.stages[i] as Stage);
    const own = chain.flatMap((s) => s.instructions);
    const base = chain[0] as Stage;
    const written = externalImages(ctx.model).images.find((i) => i.kind === 'from' && i.stage === base.index);
    const image = normalizeImage(written?.text ?? base.image);
    const windows = WINDOWS_BASE.test(image);
    const admin = windows ? 'ContainerAdministrator' : 'uid 0';
    // ONBUILD USER sets the user of images built FROM this one, not of this image.
    const lastUser = own.filter((i) => i.keyword === 'USER' && !i.onbuild).pop();
    const userValue = lastUser?.args[0] ?? '';
    // A user computed at build time (`USER $APP_UID`) cannot be judged here.
    if (lastUser && (userValue.includes('$') || !isRootUser(userValue, windows))) return [];

    const entrypoint = own.filter((i) => i.keyword === 'ENTRYPOINT' && !i.onbuild).pop();
    const cmd = own.filter((i) => i.keyword === 'CMD' && !i.onbuild).pop();
    const starts = [entrypoint, cmd].filter((i): i is Instruction => i !== undefined).map(commandText);
    if (starts.some((t) => DROP_AT_START.test(t) || SELF_DROPPING_DAEMON.test(t))) return [];
    // An entrypoint script the build puts in place (a COPY heredoc, a file of the pushed tree) that drops root.
    const program = [entrypoint, cmd].find((i) => i !== undefined);
    if (program && startScriptDrops(ctx.copiedFiles(), program)) return [];
    // Only real installs count: a mention (`apt-get purge gosu`, `echo gosu`) installs nothing.
    const ownSet = new Set(own.filter((i) => !i.onbuild));
    const copiesDropTool = own.some((i) => {
      if (!ownSet.has(i) || (i.keyword !== 'COPY' && i.keyword !== 'ADD')) return false;
      const args = transferArgs(i);
      return (
        args !== undefined && [...args.sources, args.dest].some((p) => !p.startsWith('<<') && isDropTool(p))
      );
    });
    const runsInstall = ctx
      .commands()
      .some(
        (r) => ownSet.has(r.instruction) && !ctx.nonPosixShell(r.instruction) && installsDropTool(r.command),
      );
    if (copiesDropTool || runsInstall) return [];

    const stageWord = ctx.stages.length > 1 ? 'the final stage' : 'the image';
    if (lastUser) {
      return [
        ctx.finding(
          lastUser,
          `Final image runs as root: the USER in effect for ${stageWord} is "${userValue}", so the application runs as ${admin}; switch to a non-root USER after the steps that need root`,
        ),
      ];
    }
    if (NON_ROOT_BASES.some((re) => re.test(image))) return [];
    if (windows && /nanoserver/.test(image)) return [];
    // The base image's own entrypoint drops privileges unless this Dockerfile replaces it.
    if (DROPPING_BASES.test(image) && (!entrypoint || /entrypoint/i.test(commandText(entrypoint)))) return [];
    if (DAEMON_BASES.test(image) && !entrypoint && !cmd) return [];
    const why =
      image === 'scratch'
        ? 'FROM scratch has no users at all, so the binary runs as uid 0'
        : image.includes('$')
          ? `the base image (${base.image}) is chosen at build time, and unless it sets a non-root user the container runs as uid 0`
          : windows
            ? `it inherits the user of ${base.image}, which is ContainerAdministrator`
            : `it inherits the user of ${base.image}, which is root for most images`;
    const fix = windows
      ? 'add USER ContainerUser'
      : 'add a non-root USER (or drop privileges in the entrypoint with gosu/su-exec/setpriv)';
    return [
      ctx.finding(final.from, `Final image runs as root: ${stageWord} sets no USER, so ${why}; ${fix}`),
    ];
  },
});
