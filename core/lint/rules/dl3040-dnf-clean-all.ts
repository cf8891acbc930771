import {
  cleansAll,
  DNF_COMMANDS,
  FILLS_DNF_CACHE,
  RPM_CACHE_DIRS,
  uncleanedCaches,
} from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';

export const dnfCleanAll = defineRule({
  id: 'DL3040',
  level: 'warning',
  title: '`dnf clean all` missing after dnf command.',
  rationale:
    'dnf and microdnf keep the repository metadata and downloaded packages in /var/cache; unless the same RUN removes them, they stay in the layer and add tens of megabytes to every image built from it.',
  check: (ctx) =>
    uncleanedCaches(ctx, {
      fillers: DNF_COMMANDS,
      cleaners: ['yum'],
      fills: FILLS_DNF_CACHE,
      dirs: RPM_CACHE_DIRS.dnf,
      // dnf and yum (an alias of dnf on EL8 and later) share a cache; microdnf keeps its own.
      empties: (call, filler) =>
        (call.tool === 'microdnf') === (filler.tool === 'microdnf') && cleansAll(call),
    }).map(({ run, verb }) =>
      ctx.finding(
        run.command,
        `\`${run.tool} ${verb}\` leaves its metadata and package cache in the layer; end this RUN with \`${run.tool} clean all\` (or use a cache mount on its cache directory)`,
      ),
    ),
});
