import { type Command, Option } from 'commander';
import { DrydockError } from '../../core/errors.js';
import { type CliIo, EXIT } from '../context.js';
import { stateDir } from '../state-dir.js';
import { admissionOf, openFleet } from './fleet.js';

export function registerAdmit(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('admit')
    .description(
      'Would a container of this image be allowed to start? allow, or deny with the reason (run as root)',
    )
    .argument('<image>', 'image reference, as given to drydock run or podman run')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('-s, --state <dir>', 'state directory (default: $DRYDOCK_STATE or ./.drydock)'))
    .addHelpText(
      'after',
      `
Decides as the fleet's prestart hook does: the image's digests against the images bans mark unsupported, its
names against the policy's banned patterns. An image not in the fleet's storage is judged by its reference only.
Exit status: 0 allow, 1 deny, 2 usage or podman errors.

Examples:
  drydock admit 127.0.0.1:5000/apps/web:1a2b3c4d5e6f
  drydock admit busybox:1.36.0 --format json`,
    )
    .action(async (ref: string, flags: { format: 'text' | 'json'; state?: string }) => {
      const state = stateDir(flags.state, io.env, io.cwd);
      const fleet = await openFleet(state);
      let image: Awaited<ReturnType<typeof fleet.image>> | undefined;
      try {
        image = await fleet.image(ref, { pull: false });
      } catch (error) {
        if (!(error instanceof DrydockError && error.code === 'FLEET_IMAGE_UNKNOWN')) throw error;
      }
      const answer = await admissionOf(state, ref, image);
      setExit(answer.allow ? EXIT.ok : EXIT.findings);
      if (flags.format === 'json') {
        io.stdout(
          `${JSON.stringify(
            {
              image: ref,
              allow: answer.allow,
              ...(answer.allow ? {} : { reason: answer.reason }),
              ...(answer.allow && answer.note ? { note: answer.note } : {}),
              local: image !== undefined,
              ...(image ? { configDigest: image.configDigest, digests: image.digests } : {}),
            },
            null,
            2,
          )}\n`,
        );
        return;
      }
      io.stdout(answer.allow ? `allow ${ref}\n` : `deny ${ref}: ${answer.reason}\n`);
      if (answer.allow && answer.note) io.stderr(`drydock: ${answer.note}\n`);
      if (!image) io.stderr(`drydock: ${ref} is not in the fleet's storage; judged by its reference only\n`);
    });
}
