import { describe, type NetworkCodeRun, networkCodeRuns } from '../downloads.js';
import { defineRule } from '../rule.js';

const WHEN: Readonly<Record<NetworkCodeRun['when'], string>> = {
  build: '',
  start: ' when the container starts',
  downstream: ' in every build FROM this image (ONBUILD)',
  shell: ' for every later RUN of the stage (SHELL)',
};

export const curlPipeShell = defineRule({
  id: 'DD110',
  level: 'error',
  title: 'Remote script piped into a shell',
  rationale:
    'Runs unreviewed code from the network: a compromised or changed server changes the image without any change to the definition. DD110 follows the fetched bytes through pipes, substitutions, ENV/ARG values, files downloaded or cloned and later run (in the RUN, later RUNs, stages built FROM it, SHELL, CMD/ENTRYPOINT/HEALTHCHECK, ONBUILD), scripts copied in or written and then run, interpreters whose one-liners fetch and eval, and base64-decoded scripts; it cannot follow code fetched by a program the build compiled or installed, nor archives unpacked and built from source. Download to a file, verify its checksum or signature, then run it.',
  check: (ctx) =>
    networkCodeRuns(ctx).map((r) => {
      const prefix =
        r.how === 'pipe' || r.how === 'substitution'
          ? 'Remote script piped into a shell'
          : 'Remote script run without verification';
      return ctx.finding(
        r.loc,
        `${prefix}: ${describe(r)}${WHEN[r.when]}; download it to a file, verify its checksum or signature, then run it`,
      );
    }),
});
