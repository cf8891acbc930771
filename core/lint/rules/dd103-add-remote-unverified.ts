import { transferArgs } from '../../dockerfile/command-args.js';
import { defineRule } from '../rule.js';

// BuildKit treats these as Git sources; anything else with a scheme is an HTTP download.
const GIT_SOURCE = /^(git@[^:]+:|git:\/\/|ssh:\/\/)|^https?:\/\/[^#?]*\.git([#?]|$)/i;
const URL_SOURCE = /^(https?|ftp):\/\//i;
// A full commit id names content; a branch or tag can be moved to other content.
const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

/** The ref a Git source asks for: `#ref:subdir`, or the `?ref=`/`?checksum=` query of newer BuildKit. */
function gitRef(source: string): string {
  const query = /\?([^#]*)/.exec(source)?.[1];
  if (query !== undefined) {
    const params = new URLSearchParams(query);
    return params.get('checksum') ?? params.get('commit') ?? params.get('ref') ?? '';
  }
  const fragment = source.split('#')[1] ?? '';
  return fragment.split(':')[0] ?? '';
}

export const addRemoteUnverified = defineRule({
  id: 'DD103',
  level: 'warning',
  title: 'ADD fetches a remote source without pinning its content',
  rationale:
    'ADD of a URL downloads whatever the server returns at build time: a compromised or changed server changes the image with no change to the Dockerfile, and nothing records what was fetched. Give `--checksum=sha256:…` (BuildKit), or pin a Git source to a full commit id.',
  check: (ctx) =>
    ctx.of('ADD').flatMap((inst) => {
      if (inst.flags.some((f) => f.name.toLowerCase() === 'checksum' && f.value)) return [];
      const sources = transferArgs(inst)?.sources ?? [];
      return sources.flatMap((source) => {
        if (GIT_SOURCE.test(source)) {
          const ref = gitRef(source);
          if (COMMIT.test(ref)) return [];
          const what = ref
            ? `the ref "${ref}" is a branch or tag that can be moved`
            : 'no ref is given, so it follows the default branch';
          return [
            ctx.finding(
              inst,
              `ADD of Git source ${source} is not pinned: ${what}; pin it to a full commit id (#<sha>) or add --checksum=<commit sha>`,
            ),
          ];
        }
        if (!URL_SOURCE.test(source)) return [];
        return [
          ctx.finding(
            inst,
            `ADD of ${source} has no checksum: the build takes whatever the server returns; add --checksum=sha256:<digest> (BuildKit) or download and verify it in a RUN`,
          ),
        ];
      });
    }),
});
