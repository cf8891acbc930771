import { Command, CommanderError } from 'commander';
import { DrydockError } from '../core/errors.js';
import { registerAdmit } from './commands/admit.js';
import { registerBan } from './commands/ban.js';
import { registerBases } from './commands/bases.js';
import { registerBuilds } from './commands/builds.js';
import { registerCheck } from './commands/check.js';
import { registerDeadLetters } from './commands/dead-letters.js';
import { registerFleet } from './commands/fleet.js';
import { registerHook } from './commands/hook.js';
import { registerImage } from './commands/image.js';
import { registerImages } from './commands/images.js';
import { registerLint } from './commands/lint.js';
import { registerNotifications } from './commands/notifications.js';
import { registerPolicy } from './commands/policy.js';
import { registerRepo } from './commands/repo.js';
import { registerRules } from './commands/rules.js';
import { registerRun } from './commands/run.js';
import { registerStart } from './commands/start.js';
import { registerStatus } from './commands/status.js';
import { registerStep } from './commands/step.js';
import { registerSubmit } from './commands/submit.js';
import { registerVerify } from './commands/verify.js';
import { type CliIo, EXIT, processIo, UsageError } from './context.js';
import { VERSION } from './version.js';

/** Runs the drydock command line with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exit: number = EXIT.ok;
  const setExit = (code: number) => {
    exit = code;
  };
  const program = new Command('drydock')
    .description('Ops-owned container delivery pipeline: lint, base-image policy, build, test, publish.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  drydock lint Dockerfile                       lint one definition
  drydock check services/ --policy policy.yaml --project payments
                                                lint + base-image policy, one verdict
  drydock policy validate policy.yaml           check a policy document
  drydock rules --format json                   list every rule
  drydock start                                 run the local pipeline on ./.drydock (foreground)
  drydock repo create shop                      a git repository whose pushes are gated and built
  drydock status                                what the running pipeline did lately
  drydock ban busybox:1.36.0 --reason CVE-… --replacement busybox:1.36.1 --dry-run
                                                what banning a base image would do`,
    );
  registerLint(program, io, setExit);
  registerCheck(program, io, setExit);
  registerPolicy(program, io, setExit);
  registerRules(program, io, setExit);
  registerRepo(program, io, setExit);
  registerHook(program, io, setExit);
  registerStart(program, io, setExit);
  registerBases(program, io, setExit);
  registerStatus(program, io, setExit);
  registerImages(program, io, setExit);
  registerBan(program, io, setExit);
  registerFleet(program, io, setExit);
  registerAdmit(program, io, setExit);
  registerRun(program, io, setExit);
  registerImage(program, io, setExit);
  registerBuilds(program, io, setExit);
  registerNotifications(program, io, setExit);
  registerDeadLetters(program, io, setExit);
  registerSubmit(program, io, setExit);
  registerVerify(program, io, setExit);
  registerStep(program, io, setExit);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError || err instanceof DrydockError) {
      io.stderr(`drydock: ${err.message}\n`);
      return EXIT.usage;
    }
    io.stderr(`drydock: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.usage;
  }
  return exit;
}
