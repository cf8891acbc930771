import { existsSync, lstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { HookAnswer } from '../../adapters/local/admission-hook.js';
import type { FleetImage, PodmanFleet } from '../../adapters/local/podman-fleet.js';
import { DrydockError } from '../../core/errors.js';
import type { RunningContainer } from '../../core/ports/fleet.js';
import { type CliIo, EXIT } from '../context.js';
import { stateDir } from '../state-dir.js';

// The local registry's host, so the fleet can pull the pipeline's images even before the pipeline first started.
async function registryHosts(state: string): Promise<string[]> {
  try {
    const saved = JSON.parse(await readFile(join(state, 'settings.json'), 'utf8')) as {
      registryPort?: unknown;
    };
    return Number.isInteger(saved.registryPort) ? [`127.0.0.1:${saved.registryPort}`] : [];
  } catch {
    return [];
  }
}

/**
 * Writes the admission list when the state dir has none yet (the pipeline writes it at every ban change): the
 * images active bans mark, and the policy's banned patterns. An existing list, even a corrupt one, is left to
 * ops: the hook refuses on it until they fix it or create the override.
 */
async function ensureAdmissionList(state: string): Promise<void> {
  const { AdmissionFile, admissionPaths } = await import('../../adapters/local/admission-file.js');
  try {
    lstatSync(admissionPaths(state).list);
    return;
  } catch {
    // Missing: written below.
  }
  const [{ openStateDirectory }, { SqliteBanStore }, { POLICY_FILE, readPolicyFile }, { bannedPatternsOf }] =
    await Promise.all([
      import('../../adapters/local/sqlite-database.js'),
      import('../../adapters/local/sqlite-ban-store.js'),
      import('../../runtime/local/policy-store.js'),
      import('../../core/admission/admit.js'),
    ]);
  const db = openStateDirectory(state);
  try {
    const policyPath = join(state, POLICY_FILE);
    const banned = existsSync(policyPath) ? bannedPatternsOf(await readPolicyFile(policyPath)) : [];
    await new AdmissionFile({ stateDir: state, bannedPatterns: async () => banned }).replace(
      await new SqliteBanStore(db).unsupportedImages(),
    );
  } finally {
    db.close();
  }
}

/** The fleet of a state dir, its podman configured with the admission hook, and the admission list in place. */
export async function openFleet(state: string): Promise<PodmanFleet> {
  const { PodmanFleet, prepareFleetEnv } = await import('../../adapters/local/podman-fleet.js');
  const { admissionHookCommand } = await import('../../adapters/local/admission-hook.js');
  const { env } = await prepareFleetEnv(state, admissionHookCommand(state), {
    insecureRegistries: await registryHosts(state),
  });
  await ensureAdmissionList(state);
  return new PodmanFleet({ env });
}

/** The admission answer for an image of the fleet's storage, as the prestart hook would give it. */
export async function admissionOf(
  state: string,
  ref: string,
  image: FleetImage | undefined,
): Promise<HookAnswer> {
  const { answerForImage } = await import('../../adapters/local/admission-hook.js');
  const { parseImageRef } = await import('../../core/image-ref/parse-image-ref.js');
  const parsed = parseImageRef(ref);
  const written = parsed.ok && parsed.ref.digest ? [parsed.ref.digest] : [];
  return answerForImage(state, {
    refs: [ref, ...(image?.names ?? [])],
    digests: [...written, ...(image?.digests ?? [])],
    ...(image ? { configDigest: image.configDigest } : {}),
  });
}

/**
 * Starts `count` containers of an image on a host once admission allows it (the hook checks each start again);
 * prints the ids, or the refusal on stderr and returns 1.
 */
export async function startAdmitted(
  state: string,
  ref: string,
  options: { host: string; count: number; args: readonly string[] },
  io: CliIo,
): Promise<number> {
  const fleet = await openFleet(state);
  const image = await fleet.image(ref);
  const answer = await admissionOf(state, ref, image);
  if (!answer.allow) {
    io.stderr(`drydock: refused ${ref}: ${answer.reason}\n`);
    return EXIT.findings;
  }
  if (answer.note) io.stderr(`drydock: ${answer.note}\n`);
  try {
    const ids = await fleet.start(ref, options);
    for (const id of ids) io.stdout(`${id}\n`);
    return EXIT.ok;
  } catch (error) {
    // The hook refused between the check and the start (the list changed meanwhile).
    if (error instanceof DrydockError && error.code === 'FLEET_START_REFUSED') {
      io.stderr(`drydock: refused ${ref}: ${error.message}\n`);
      return EXIT.findings;
    }
    throw error;
  }
}

interface FleetRow {
  readonly container: string;
  readonly name: string;
  readonly host: string;
  readonly image: string;
  readonly imageDigest?: string;
  readonly configDigest: string;
  readonly supported: boolean;
  readonly unsupportedBy: readonly { readonly banId: string; readonly reason: string }[];
  readonly bandAids: readonly {
    readonly banId: string;
    readonly bandAidId: string;
    readonly state: string;
    readonly exitCode?: number | null;
  }[];
  readonly startedAt: string;
}

async function fleetRows(state: string, running: readonly RunningContainer[]): Promise<FleetRow[]> {
  const [{ openStateDirectory }, { SqliteBanStore }] = await Promise.all([
    import('../../adapters/local/sqlite-database.js'),
    import('../../adapters/local/sqlite-ban-store.js'),
  ]);
  const db = openStateDirectory(state);
  try {
    const bans = new SqliteBanStore(db);
    const digests = running.flatMap((c) => [c.configDigest, ...(c.imageDigest ? [c.imageDigest] : [])]);
    const support = await bans.supportOf([...new Set(digests)]);
    const runs = (await Promise.all((await bans.list()).map((b) => bans.bandAidRuns(b.banId)))).flat();
    return running.map((c) => {
      const by = [
        ...(support.get(c.configDigest) ?? []),
        ...((c.imageDigest && support.get(c.imageDigest)) || []),
      ];
      const unique = [...new Map(by.map((b) => [b.banId, b])).values()];
      return {
        container: c.id,
        name: c.name,
        host: c.host,
        image: c.image,
        ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}),
        configDigest: c.configDigest,
        supported: unique.length === 0,
        unsupportedBy: unique,
        bandAids: runs
          .filter((r) => r.containerId === c.id)
          .map((r) => ({
            banId: r.banId,
            bandAidId: r.bandAidId,
            state: r.state,
            ...(r.exitCode === undefined ? {} : { exitCode: r.exitCode }),
          })),
        startedAt: c.startedAt,
      };
    });
  } finally {
    db.close();
  }
}

function printRows(rows: readonly FleetRow[], io: CliIo): void {
  if (rows.length === 0) {
    io.stdout('no fleet containers are running\n');
    return;
  }
  const table = rows.map((r) => [
    r.container.slice(0, 12),
    r.host,
    r.image,
    (r.imageDigest ?? r.configDigest).slice(0, 19),
    r.supported
      ? 'supported'
      : `UNSUPPORTED (${r.unsupportedBy.map((b) => `${b.banId}: ${b.reason}`).join('; ')})`,
    r.bandAids.length === 0
      ? '-'
      : r.bandAids
          .map((b) => `${b.bandAidId} ${b.state}${b.exitCode == null ? '' : ` (exit ${b.exitCode})`}`)
          .join(', '),
  ]);
  const head = ['CONTAINER', 'HOST', 'IMAGE', 'DIGEST', 'SUPPORT', 'BAND-AIDS'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]?.length ?? 0)));
  for (const row of [head, ...table]) {
    io.stdout(
      `${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}\n`,
    );
  }
}

const stateOption = () =>
  new Option('-s, --state <dir>', 'state directory (default: $DRYDOCK_STATE or ./.drydock)');

const positiveCount = (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100)
    throw new InvalidArgumentError('must be a whole number from 1 to 100');
  return n;
};

export function registerFleet(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const fleet = program
    .command('fleet')
    .description(
      'The local fleet: podman containers labelled with a host name, as ECS hosts run them (run as root)',
    );
  fleet
    .command('start')
    .description('Start containers of an image on a host, once admission allows the image')
    .argument('<image>', 'image reference (pulled from the local registry when not in the fleet storage)')
    .argument('[args...]', 'command and arguments for the containers, after --')
    .requiredOption('--host <name>', 'host name the containers are labelled with (io.drydock.host)')
    .option('-n, --count <n>', 'how many containers (1-100)', positiveCount, 1)
    .addOption(stateOption())
    .addHelpText(
      'after',
      `
Exit status: 0 started, 1 refused by admission (the reason on stderr), 2 usage or podman errors.

Examples:
  drydock fleet start 127.0.0.1:5000/apps/web:1a2b3c4d5e6f --host web-1 --count 3
  drydock fleet start 127.0.0.1:5000/base/busybox:1.36.1 --host ops-1 -- sleep 3600`,
    )
    .action(async (image: string, args: string[], flags: { host: string; count: number; state?: string }) => {
      const state = stateDir(flags.state, io.env, io.cwd);
      setExit(await startAdmitted(state, image, { host: flags.host, count: flags.count, args }, io));
    });
  fleet
    .command('ls')
    .description('List the fleet: container, host, image and digest, supported or not, band-aids applied')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(stateOption())
    .addHelpText(
      'after',
      "\nExamples:\n  drydock fleet ls\n  drydock fleet ls --format json | jq '.[] | select(.supported | not)'",
    )
    .action(async (flags: { format: 'text' | 'json'; state?: string }) => {
      const state = stateDir(flags.state, io.env, io.cwd);
      const rows = await fleetRows(state, await (await openFleet(state)).running());
      if (flags.format === 'json') io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      else printRows(rows, io);
    });
  fleet
    .command('stop')
    .description('Stop and remove a fleet container (id, id prefix or name), or every container of a host')
    .argument('[container]', 'container id (at least 6 characters) or name')
    .option('--host <name>', 'stop every container of this host')
    .addOption(stateOption())
    .addHelpText('after', '\nExamples:\n  drydock fleet stop 3f2a9c1b7d4e\n  drydock fleet stop --host web-1')
    .action(async (container: string | undefined, flags: { host?: string; state?: string }) => {
      if ((container === undefined) === (flags.host === undefined)) {
        io.stderr('drydock: fleet stop takes a container or --host NAME, not both\n');
        setExit(EXIT.usage);
        return;
      }
      const state = stateDir(flags.state, io.env, io.cwd);
      const stopped = await (await openFleet(state)).stop(container ?? { host: flags.host ?? '' });
      for (const id of stopped) io.stdout(`stopped ${id}\n`);
      if (stopped.length === 0) io.stdout(`no fleet containers on host ${flags.host}\n`);
    });
}
