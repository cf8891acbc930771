import { hasFlag, transferArgs, unwrap } from '../../dockerfile/command-args.js';
import type { Command, Instruction } from '../../dockerfile/model.js';
import { defineRule, type RuleContext } from '../rule.js';

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

// Commands that check a file against a known digest or signature (a bare `sha256sum f` only prints one).
function verifies(cmd: Command): boolean {
  const { name, args } = unwrap(cmd);
  if (/^(sha(1|224|256|384|512)sum|shasum|b2sum)$/.test(name)) return hasFlag({ args }, 'c', 'check');
  if (name === 'gpg' || name === 'gpg2') return hasFlag({ args }, 'verify');
  if (name === 'cosign') return args[0] === 'verify-blob';
  if (name === 'minisign') return hasFlag({ args }, 'V');
  return name === 'gpgv';
}

/** True when a later RUN of the same stage checks the downloaded file's digest or signature. */
function verifiedLater(ctx: RuleContext, add: Instruction, source: string, dest: string): boolean {
  const urlName = source.split(/[?#]/)[0]?.split('/').pop() ?? '';
  const file = (dest.endsWith('/') ? urlName : dest.split('/').pop()) ?? '';
  if (!file) return false;
  return ctx
    .commands()
    .some(
      ({ command, instruction }) =>
        instruction.stage === add.stage &&
        instruction.index > add.index &&
        verifies(command) &&
        (instruction.shell?.source ?? '').includes(file),
    );
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
      const transfer = transferArgs(inst);
      return (transfer?.sources ?? []).flatMap((source) => {
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
        // More than one source means dest is a directory, whatever its spelling.
        const dest = (transfer?.sources.length ?? 0) > 1 ? `${transfer?.dest}/` : (transfer?.dest ?? '');
        if (verifiedLater(ctx, inst, source, dest)) return [];
        return [
          ctx.finding(
            inst,
            `ADD of ${source} has no checksum: the build takes whatever the server returns; add --checksum=sha256:<digest> (BuildKit) or download and verify it in a RUN`,
          ),
        ];
      });
    }),
});
