import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type CliIo, EXIT, UsageError } from '../context.js';
import { stateDir } from '../state-dir.js';
import { VERSION } from '../version.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--port must be 0 to 65535, not ${JSON.stringify(value)}`);
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16)
    throw new UsageError(`--build-concurrency must be 1 to 16, not ${JSON.stringify(value)}`);
  return n;
}

/** `drydock start`: runs the local pipeline in the foreground until SIGINT, SIGTERM or SIGHUP, or until its output is closed. */
export function registerStart(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('start')
    .description(
      'Run the local pipeline in the foreground: git repos, gate, builds, tests, registry, HTTP API',
    )
    .option('-s, --state <dir>', 'state directory (default: $DRYDOCK_STATE or ./.drydock)')
    .option(
      '-p, --port <n>',
      'port of the HTTP API on 127.0.0.1; 0 picks a free one (default: the saved one, else 7480)',
      port,
    )
    .option('--no-seed', 'do not build the base catalogue on a first start')
    .option('--build-concurrency <n>', 'builds that run at once (default: 2)', positive)
    .addHelpText(
      'after',
      `
Everything lives in the state directory: SQLite state, the registry's storage, bare git repositories,
build logs, test reports and policy.yaml. runtime.json there tells other drydock commands where the
API is. Stop with Ctrl-C; work in flight resumes at the next start. A state dir that is deleted or moved
while it runs stops it (exit 2); a corrupt state database is refused at start, naming the file.

Examples:
  drydock start                                  run on ./.drydock
  drydock start --state /srv/drydock --port 0    another state dir, any free API port
  DRYDOCK_STATE=/srv/drydock drydock status      ask the running pipeline from another shell`,
    )
    .action(async (flags: { state?: string; port?: number; seed: boolean; buildConcurrency?: number }) => {
      const [{ startLocalRuntime }, { baseCatalogue }] = await Promise.all([
        import('../../runtime/local/daemon.js'),
        import('../../runtime/local/base-catalogue.js'),
      ]);
      const state = stateDir(flags.state, io.env, io.cwd);
      const stamp = () => new Date().toISOString().slice(11, 19);
      // Output gone (`drydock start | head`, a terminal gone): stop as on SIGTERM, cleanly. The CLI's own
      // handler (cli/bin.ts) exits at once on EPIPE, which here would leave the registry running and
      // runtime.json behind, so it is replaced. Later writes are dropped.
      let outputGone: (() => void) | undefined;
      let silent = false;
      const onOutputError = (error: NodeJS.ErrnoException) => {
        // EPIPE: the reader went away; EIO: the terminal hung up; destroyed: an earlier one of those.
        if (!['EPIPE', 'EIO', 'ERR_STREAM_DESTROYED'].includes(error.code ?? '')) throw error;
        silent = true;
        outputGone?.();
      };
      process.stdout.removeAllListeners('error');
      process.stdout.on('error', onOutputError);
      const log = (line: string) => {
        if (!silent) io.stdout(`${stamp()} ${line}\n`);
      };
      const runtime = await startLocalRuntime({
        stateDir: state,
        version: VERSION,
        log,
        bases: baseCatalogue,
        ...(flags.port === undefined ? {} : { apiPort: flags.port }),
        ...(flags.seed === false ? { seedBases: false } : {}),
        ...(flags.buildConcurrency ? { buildConcurrency: flags.buildConcurrency } : {}),
      });
      const { info } = runtime;
      const { readdir } = await import('node:fs/promises');
      const repos = (await readdir(info.repos).catch(() => [] as string[]))
        .filter((name) => name.endsWith('.git'))
        .sort()
        .map((name) => `  remote    ${name.slice(0, -4)}: ${info.repos}/${name}`);
      io.stdout(
        [
          `drydock ${info.version}: the local pipeline runs (pid ${info.pid})`,
          `  state     ${info.stateDir}`,
          `  API       ${info.api}`,
          `  registry  ${info.registry}  (pull: podman pull --tls-verify=false ${info.registry}/apps/…)`,
          `  policy    ${info.policy}`,
          `  repos     ${info.repos}  (add one: drydock repo create NAME --state ${info.stateDir})`,
          ...repos,
          ...cliLine(),
          `Other shells find this pipeline with --state ${info.stateDir} or DRYDOCK_STATE=${info.stateDir}.`,
          'Ctrl-C stops it; work in flight resumes at the next start.',
          '',
        ].join('\n'),
      );
      if (flags.seed !== false) void runtime.seedIfEmpty();
      const signal = await new Promise<NodeJS.Signals | 'EPIPE' | 'LOST'>((resolveSignal) => {
        const on = (s: NodeJS.Signals) => resolveSignal(s);
        // The state dir deleted or moved: the runtime has said so and stops itself.
        void runtime.lost.then(() => resolveSignal('LOST'));
        process.once('SIGINT', on);
        process.once('SIGTERM', on);
        // A closed terminal: stop cleanly rather than die with the registry running and runtime.json left.
        process.once('SIGHUP', on);
        outputGone = () => resolveSignal('EPIPE');
        if (silent) outputGone();
      });
      if (signal !== 'LOST') log(`${signal}: stopping (again to stop at once)`);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      await runtime.stop();
      log('stopped');
      if (signal === 'LOST') {
        io.stderr(
          `drydock start: ${await runtime.lost}; stopped. Start again on a state dir that is there.\n`,
        );
        setExit(EXIT.usage);
      } else setExit(EXIT.ok);
    });
}

// Where the CLI is, for shells outside this checkout: there `npx drydock` would fetch another npm package.
function cliLine(): string[] {
  const script = process.argv[1];
  if (!script || !/[\\/]bin[\\/]drydock\.js$/.test(script)) return [];
  return [`  cli       ${resolve(script)}  (npx drydock inside the checkout; npm link puts drydock on PATH)`];
}
