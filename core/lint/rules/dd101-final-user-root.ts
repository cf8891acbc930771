import type { Instruction, Stage } from '../../dockerfile/model.js';
import { defineRule, type RuleContext } from '../rule.js';
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

function resolveArgs(image: string, ctx: RuleContext): string {
  return image.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}?/g,
    (whole, name: string, dflt?: string) => {
      const arg = ctx.model.globalArgs.filter((a) => a.name === name).pop();
      return arg?.value ?? dflt ?? whole;
    },
  );
}

function isRootUser(value: string): boolean {
  const user = value.split(':')[0] ?? '';
  return user === 'root' || user === '0';
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
    const own = chain.flatMap((s) => s.instructions).filter((i) => !i.onbuild);
    const lastUser = own.filter((i) => i.keyword === 'USER').pop();
    const userValue = lastUser?.args[0] ?? '';
    // A user computed at build time (`USER $APP_UID`) cannot be judged here.
    if (lastUser && (userValue.includes('$') || !isRootUser(userValue))) return [];

    const starters = own.filter((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD');
    const dropsAtStart = starters.some((i) => DROP_AT_START.test(commandText(i)));
    const installsDropTool = own.some(
      (i) => ['RUN', 'COPY', 'ADD'].includes(i.keyword) && DROP_TOOL_INSTALLED.test(commandText(i)),
    );
    if (dropsAtStart || installsDropTool) return [];

    const stageWord = ctx.stages.length > 1 ? 'the final stage' : 'the image';
    if (lastUser) {
      return [
        ctx.finding(
          lastUser,
          `Final image runs as root: the USER in effect for ${stageWord} is "${userValue}", so the application runs as uid 0; switch to a non-root USER after the steps that need root`,
        ),
      ];
    }
    const base = chain[0] as Stage;
    const image = normalizeImage(resolveArgs(base.image, ctx));
    if (NON_ROOT_BASES.some((re) => re.test(image))) return [];
    const entrypointReplaced = own.some(
      (i) => i.keyword === 'ENTRYPOINT' && !/entrypoint/i.test(commandText(i)),
    );
    if (DROPPING_BASES.test(image) && !entrypointReplaced) return [];
    const why =
      image === 'scratch'
        ? 'FROM scratch has no users at all, so the binary runs as uid 0'
        : image.includes('$')
          ? `the base image (${base.image}) is chosen at build time, and unless it sets a non-root user the container runs as uid 0`
          : `it inherits the user of ${base.image}, which is root for most images`;
    return [
      ctx.finding(
        final.from,
        `Final image runs as root: ${stageWord} sets no USER, so ${why}; add a non-root USER (or drop privileges in the entrypoint with gosu/su-exec/setpriv)`,
      ),
    ];
  },
});
