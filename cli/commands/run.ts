import { type Command, Option } from 'commander';
import type { CliIo } from '../context.js';
import { stateDir } from '../state-dir.js';
import { startAdmitted } from './fleet.js';

export function registerRun(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('run')
    .description(
      'Start a container of an image on host "local" of the fleet, unless admission refuses it (run as root)',
    )
    .argument('<image>', 'image reference (pulled from the local registry when not in the fleet storage)')
    .argument('[args...]', 'command and arguments, after --')
    .addOption(new Option('-s, --state <dir>', 'state directory (default: $DRYDOCK_STATE or ./.drydock)'))
    .addHelpText(
      'after',
      `
The container runs detached (podman run -d) with the fleet's podman, labelled host "local"; its id is printed.
An unsupported image is refused with the reason (exit 1), here and by the prestart hook for a plain podman run.

Examples:
  drydock run 127.0.0.1:5000/apps/web:1a2b3c4d5e6f
  drydock run 127.0.0.1:5000/base/busybox:1.36.1 -- sleep 3600`,
    )
    .action(async (image: string, args: string[], flags: { state?: string }) => {
      const state = stateDir(flags.state, io.env, io.cwd);
      setExit(await startAdmitted(state, image, { host: 'local', count: 1, args }, io));
    });
}
