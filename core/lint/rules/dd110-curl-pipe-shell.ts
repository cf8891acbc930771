import { unwrap } from '../../dockerfile/command-args.js';
import type { Command } from '../../dockerfile/model.js';
import { defineRule } from '../rule.js';

const FETCHERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'fish', 'busybox']);
const INTERPRETERS = /^(python[0-9.]*|perl|ruby|node|php[0-9.]*|pwsh|iex)$/;
const SOURCERS = new Set(['eval', 'source', '.']);

const runsCode = (name: string): boolean => SHELLS.has(name) || INTERPRETERS.test(name);

export const curlPipeShell = defineRule({
  id: 'DD110',
  level: 'error',
  title: 'Remote script piped into a shell',
  rationale:
    'Runs unreviewed code from the network at build time: a compromised or changed server changes the image without any change to the definition. Download to a file, verify its checksum or signature, then run it.',
  check: (ctx) => {
    const all = ctx.commands().map((c) => c.command);
    const hits = new Map<Command, string>();
    for (const cmd of all) {
      const fetcher = unwrap(cmd).name;
      if (!FETCHERS.has(fetcher)) continue;
      // curl … | [tee …|] sh: a later stage of the same pipeline runs code.
      if (cmd.pipeline) {
        const runner = all.find(
          (o) =>
            o.pipeline?.id === cmd.pipeline?.id &&
            (o.pipeline?.position ?? 0) > (cmd.pipeline?.position ?? 0) &&
            o.context === cmd.context &&
            runsCode(unwrap(o).name),
        );
        if (runner) hits.set(cmd, `${fetcher} output is piped into ${unwrap(runner).name}`);
      }
      // bash <(curl …), sh -c "$(curl …)", eval "$(wget -O- …)", source <(curl …)
      if (cmd.context === 'substitution' && cmd.parent) {
        const parent = unwrap(cmd.parent).name;
        if (runsCode(parent) || SOURCERS.has(parent)) {
          hits.set(cmd, `${fetcher} output is run by ${parent} through a substitution`);
        }
      }
    }
    return [...hits].map(([cmd, why]) =>
      ctx.finding(cmd, `Remote script piped into a shell: ${why}; download, verify the checksum, then run`),
    );
  },
});
