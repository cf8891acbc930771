import { toolRuns } from '../package-managers.js';
import { defineRule } from '../rule.js';

// What each command would do at build time, and why that is pointless there.
const POINTLESS: Readonly<Record<string, string>> = {
  ssh: 'opens a remote session during the build',
  vim: 'is an interactive editor, and a build has no terminal',
  shutdown: 'cannot shut down anything from inside a build container',
  service: 'starts a daemon that dies with this RUN; start services in the ENTRYPOINT or CMD',
  ps: 'lists processes of a throwaway build container',
  free: 'reports the memory of the build host, not of the running container',
  top: 'is an interactive monitor, and a build has no terminal',
  kill: 'can only signal processes of this RUN, which all end with it anyway',
  mount: 'mounts nothing that survives the RUN; use `RUN --mount` or a runtime volume',
  ifconfig: 'reports or changes the build network, not the one the container will run in',
};

export const pointlessContainerCommand = defineRule({
  id: 'DL3001',
  level: 'info',
  title:
    'For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`',
  rationale:
    'Interactive tools, service managers and host inspection commands do nothing useful while an image is built, and their presence usually means the Dockerfile is treated like a virtual machine setup script.',
  check: (ctx) =>
    toolRuns(ctx, (t) => Object.hasOwn(POINTLESS, t)).map((run) =>
      ctx.finding(run.command, `\`${run.tool}\` in a RUN ${POINTLESS[run.tool]}`),
    ),
});
