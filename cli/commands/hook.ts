import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type CliIo, EXIT } from '../context.js';
import { stateDir } from '../state-dir.js';

/**
 * The post-receive hook: turns each branch update into a `Definition Pushed` event in the state's event log.
 * It never fails the push (the commits are already stored): problems are printed for the pusher to see.
 */
export async function runPostReceive(flags: { state?: string; repo: string }, io: CliIo): Promise<number> {
  const { definitionsChanged, parseRefUpdates } = await import('../../adapters/local/git-repositories.js');
  const { openStateDirectory } = await import('../../adapters/local/sqlite-database.js');
  const { SqliteEventLog } = await import('../../adapters/local/sqlite-event-log.js');
  const state = stateDir(flags.state, io.env, io.cwd);
  const repoPath = join(state, 'repos', `${flags.repo}.git`);
  const db = openStateDirectory(state);
  try {
    const log = new SqliteEventLog(db);
    let queued = 0;
    for (const update of parseRefUpdates(io.readStdin())) {
      const short = update.after.slice(0, 12);
      let definitions: Awaited<ReturnType<typeof definitionsChanged>>;
      try {
        definitions = await definitionsChanged(repoPath, update);
      } catch (err) {
        // One ref git cannot diff (a tag naming a blob) must not cost the other refs of the push their gate run.
        const reason = (err as Error).message.split('\n', 1)[0];
        io.stderr(`drydock: ${update.ref} ${short}: not queued for the gate: ${reason}\n`);
        continue;
      }
      if (definitions.length === 0) {
        io.stdout(`drydock: ${update.ref} ${short}: no container definitions changed\n`);
        continue;
      }
      const { appended } = await log.append({
        id: `push-${flags.repo}-${update.ref}-${update.after}`,
        source: 'drydock',
        detailType: 'Definition Pushed',
        time: io.now().toISOString(),
        detail: {
          repository: flags.repo,
          ref: update.ref,
          before: update.before,
          after: update.after,
          pusher: pusherOf(),
          definitions,
        },
      });
      if (appended) queued++;
      const list = definitions.map((d) => `${d.path} (${d.change})`).join(', ');
      io.stdout(
        `drydock: ${update.ref} ${short}: ${appended ? 'queued for the gate' : 'already queued'}: ${list}\n`,
      );
    }
    if (queued > 0) await wakePipeline(state, io);
    return EXIT.ok;
  } catch (err) {
    io.stderr(`drydock: the push is stored, but the gate was not told: ${(err as Error).message}\n`);
    return EXIT.ok;
  } finally {
    db.close();
  }
}

/**
 * Tells a running pipeline to look at the log now; says when none runs (the push waits for `drydock start`).
 * The pusher may be any local user, who cannot read the API's tokens: the wake-up needs none (it carries
 * nothing), so the hook does not read them.
 */
async function wakePipeline(state: string, io: CliIo): Promise<void> {
  const { PipelineApi, PipelineNotRunningError } = await import('../api-client.js');
  try {
    const api = await PipelineApi.connect(state, { authenticate: false });
    await api.wake();
  } catch (error) {
    io.stdout(
      error instanceof PipelineNotRunningError
        ? `drydock: the local pipeline is not running; this push is gated when drydock start runs on ${state}\n`
        : `drydock: the local pipeline was not woken (${(error as Error).message}); it finds this push at its next look\n`,
    );
  }
}

export function registerHook(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const hook = program
    .command('hook')
    .description('Git hooks drydock installs in its repositories (not run by hand)');
  hook
    .command('post-receive')
    .description(
      'Read "<old> <new> <ref>" lines on stdin and queue a Definition Pushed event for each branch update',
    )
    .requiredOption('--repo <name>', 'the repository the hook belongs to')
    .option('-s, --state <dir>', 'state directory (default: $DRYDOCK_STATE or ./.drydock)')
    .action(async (flags: { state?: string; repo: string }) => setExit(await runPostReceive(flags, io)));
}

/**
 * Who pushed: the account the hook really runs as (git runs it as the user who pushed), looked up from the
 * process's uid. Never $USER, $LOGNAME or a forge's variable: the pusher sets those to anything.
 */
export function pusherOf(): string {
  const uid = process.getuid?.();
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // A uid with no account (a container's arbitrary uid): the number is who it was.
  }
  return uid === undefined ? 'unknown' : `uid ${uid}`;
}
