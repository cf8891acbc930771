import { externalImages } from '../../dockerfile/image-uses.js';
import type { Instruction, Stage } from '../../dockerfile/model.js';
import { defineRule } from '../rule.js';
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
const DROP_TOOL_INSTALLED = /(^|[^\w-])(gosu|su-exec)([^\w-]|$)/;
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

export const finalUserRoot = defineRule({
  id: 'DD101',
  level: 'warning',
  title: 'Final image runs as root',
  rationale:
    'A container that runs as root turns any code-execution bug into root in the container, one kernel or runtime flaw away from the host, and lets the process rewrite its own binaries. Set a non-root USER in the final stage. Images that start as root only to drop privileges at run time (gosu, su-exec, setpriv, runuser, `chroot --userspec`), or that build on a base which already runs as a non-root user, are not reported.',
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
    // ONBUILD USER sets the user of every image built FROM this one, which is what a base image is for.
    const lastUser = own.filter((i) => i.keyword === 'USER').pop();
    const userValue = lastUser?.args[0] ?? '';
    // A user computed at build time (`USER $APP_UID`) cannot be judged here.
    if (lastUser && (userValue.includes('$') || !isRootUser(userValue, windows))) return [];

    const entrypoint = own.filter((i) => i.keyword === 'ENTRYPOINT' && !i.onbuild).pop();
    const cmd = own.filter((i) => i.keyword === 'CMD' && !i.onbuild).pop();
    const starts = [entrypoint, cmd].filter((i): i is Instruction => i !== undefined).map(commandText);
    if (starts.some((t) => DROP_AT_START.test(t) || SELF_DROPPING_DAEMON.test(t))) return [];
    const installsDropTool = own.some(
      (i) => ['RUN', 'COPY', 'ADD'].includes(i.keyword) && DROP_TOOL_INSTALLED.test(commandText(i)),
    );
    if (installsDropTool) return [];

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
