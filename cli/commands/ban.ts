import { userInfo } from 'node:os';
import { type Command, InvalidArgumentError } from 'commander';
import type { BandAidUse } from '../../core/events/base-image-banned.js';
import type {
  BanDetail,
  BanLifted,
  BanPreview,
  BanPublished,
  BanSummary,
} from '../../runtime/local/api-types.js';
import { type CliIo, EXIT } from '../context.js';
import { renderBanDetail, renderBanPlan, renderBans } from '../format/ban-text.js';
import {
  connectPipeline,
  jsonText,
  type PipelineFlags,
  parseOutputFormat,
  textOptions,
  withPipelineOptions,
} from '../pipeline-command.js';

/** The login name this CLI runs as, which the API records beside the credential that vouched for it. */
export function currentUser(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (a container's arbitrary uid): the environment's name, if any, is all there is.
    return env.USER ?? env.LOGNAME;
  }
}

interface BanFlags extends PipelineFlags {
  reason?: string;
  replacement?: string;
  dryRun?: boolean;
}

/**
 * Collects `--band-aid ID [--param k=v]…` in the order given: commander calls option parsers in argv order,
 * so a `--param` belongs to the `--band-aid` last seen.
 */
function bandAidOptions(): {
  readonly uses: BandAidUse[];
  readonly bandAid: (id: string) => string;
  readonly param: (pair: string) => string;
} {
  const uses: { id: string; params: Record<string, string> }[] = [];
  return {
    uses,
    bandAid: (id) => {
      if (id.trim() === '') throw new InvalidArgumentError('a band-aid id must not be empty');
      uses.push({ id, params: {} });
      return id;
    },
    param: (pair) => {
      const last = uses.at(-1);
      if (!last)
        throw new InvalidArgumentError('a --param belongs to a --band-aid: give --band-aid ID first');
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new InvalidArgumentError(`${JSON.stringify(pair)} is not NAME=VALUE`);
      const name = pair.slice(0, eq);
      if (Object.hasOwn(last.params, name))
        throw new InvalidArgumentError(`${name} is given twice for band-aid ${last.id}`);
      last.params[name] = pair.slice(eq + 1);
      return pair;
    },
  };
}

/** `drydock ban REF …` (with `ban show ID`), `drydock unban REF|ID` and `drydock bans`. */
export function registerBan(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const aids = bandAidOptions();
  const ban = program
    .command('ban')
    .description(
      'Ban a base image: every image built on it becomes unsupported, is rebuilt on an approved base, and the approved band-aid runs where it still runs',
    )
    .argument('[ref]', 'what to ban: a tag (busybox:1.36.0), a digest (busybox@sha256:…) or a name glob')
    .option(
      '-r, --reason <text>',
      'why (a CVE, an end of life): recorded in the policy and told to every team',
    )
    .option('--replacement <ref>', 'the approved base to rebuild on instead (the policy must allow it)')
    .option('--band-aid <id>', "run this band-aid of the policy's approved list (repeatable)", aids.bandAid)
    .option('--param <name=value>', 'a parameter of the --band-aid before it (repeatable)', aids.param)
    .option('--dry-run', 'show what the ban would do; change nothing');
  withPipelineOptions(ban)
    .addHelpText(
      'after',
      `
Only ops may ban: the command uses the ops token of the running pipeline (drydock start). The ban is written
into the policy as a new version (who, when, why), so the gate refuses or substitutes the banned base from the
next push on. Banning the same ref again is the same ban: nothing happens twice.

--dry-run prints the impact before anything happens: affected images by depth, definitions and repositories,
teams to notify, the base each rebuild would use, running containers per host, and the band-aid commands
that would run (argv). Unknown band-aid, bad parameter, a replacement the policy does not allow, or a ref that
does not parse: an error (exit 2) and nothing changes.

--format json prints the API's answer: {dryRun: true, plan} or {dryRun: false, created, ban, plan, policyVersion}.

Examples:
  drydock ban busybox:1.36.0 --reason "CVE-2026-1234" --replacement busybox:1.36.1 --dry-run
  drydock ban busybox:1.36.0 --reason "CVE-2026-1234" --replacement busybox:1.36.1 \\
      --band-aid restart-service --param service=httpd
  drydock ban 'docker.io/library/busybox*' --reason "end of life"
  drydock ban show ban-1a2b3c4d5e6f`,
    )
    .action(async (ref: string | undefined, flags: BanFlags) => {
      const format = parseOutputFormat(flags.format);
      if (ref === undefined) {
        io.stderr('drydock: ban needs a REF (or: ban show ID); see drydock ban --help\n');
        setExit(EXIT.usage);
        return;
      }
      if (flags.reason === undefined) {
        io.stderr('drydock: ban needs --reason TEXT: it is recorded in the policy and told to every team\n');
        setExit(EXIT.usage);
        return;
      }
      const api = await connectPipeline(flags, io);
      const user = currentUser(io.env);
      const answer = await api.post<BanPreview | BanPublished>('/api/bans', {
        ref,
        reason: flags.reason,
        ...(flags.replacement === undefined ? {} : { replacement: flags.replacement }),
        bandAids: aids.uses,
        ...(user === undefined ? {} : { user }),
        dryRun: flags.dryRun === true,
      });
      if (format === 'json') io.stdout(jsonText(answer));
      else if (answer.dryRun) io.stdout(`${renderBanPlan(answer.plan)}\nDry run: nothing changed.\n`);
      else {
        io.stdout(
          answer.created
            ? `Banned ${answer.ban.ref}: ${answer.ban.banId} (policy version ${answer.policyVersion}).\n`
            : `${answer.ban.ref} is banned already: ${answer.ban.banId} (since ${answer.ban.at}); nothing changed.\n`,
        );
        // An empty plan is said in words: "0 image(s) affected" reads like a count still to come.
        io.stdout(
          answer.plan.affected.length === 0
            ? `No published image is built on it: nothing is marked, rebuilt or band-aided. The ban stays in force for the next push; drydock ban show ${answer.ban.banId}\n`
            : `${answer.plan.affected.length} image(s) affected, ${answer.plan.rebuilds.length} rebuild(s), ${answer.plan.bandAids.length} band-aid(s). Follow it with: drydock ban show ${answer.ban.banId}\n`,
        );
      }
      setExit(EXIT.ok);
    });

  // `ban show` takes ban's own --state, --format and --no-color: commander hands every option after a
  // subcommand to the parent that declares it, so show declaring them too would never see their values.
  ban
    .command('show')
    .description(
      'Show a ban: images marked, rebuilds and band-aids by state, times to protection and remediation',
    )
    .argument('<id>', 'the ban id (drydock bans lists them)')
    .addHelpText(
      'after',
      `
Options of drydock ban apply: -s, --state <dir>, -f, --format text|json, --no-color.

--format json prints the API's BanDetail: the ban, timeToProtectionMs, timeToRemediationMs, images (by depth),
rebuilds (with states), bandAidRuns (exit code, output tail, duration) and progress counts.

Examples:
  drydock ban show ban-1a2b3c4d5e6f
  drydock ban show ban-1a2b3c4d5e6f --format json | jq '.bandAidRuns[] | select(.state == "failed")'`,
    )
    .action(async (id: string) => {
      const flags = ban.opts<PipelineFlags>();
      const format = parseOutputFormat(flags.format);
      const api = await connectPipeline(flags, io);
      const detail = await api.get<BanDetail>(`/api/bans/${encodeURIComponent(id)}`);
      io.stdout(format === 'json' ? jsonText(detail) : renderBanDetail(detail, textOptions(flags, io)));
      setExit(EXIT.ok);
    });

  withPipelineOptions(
    program
      .command('unban')
      .description('Lift a ban: a new policy version; images no other ban covers are supported again')
      .argument('<ref-or-id>', 'the ban id, or the ref that was banned'),
  )
    .addHelpText(
      'after',
      `
Only ops may unban (the ops token). Rebuilds that have not started are cancelled; what ran stays recorded.

Examples:
  drydock unban ban-1a2b3c4d5e6f
  drydock unban busybox:1.36.0`,
    )
    .action(async (target: string, flags: PipelineFlags) => {
      const format = parseOutputFormat(flags.format);
      const api = await connectPipeline(flags, io);
      const user = currentUser(io.env);
      const answer = await api.post<BanLifted>(
        `/api/bans/${encodeURIComponent(target)}/lift`,
        user === undefined ? {} : { user },
      );
      if (format === 'json') io.stdout(jsonText(answer));
      else
        io.stdout(
          answer.lifted
            ? `Lifted ${answer.ban.banId} (${answer.ban.ref}); policy version ${answer.policyVersion}.\n`
            : `${answer.ban.banId} (${answer.ban.ref}) was lifted already (${answer.ban.liftedAt ?? '?'}); nothing changed.\n`,
        );
      setExit(EXIT.ok);
    });

  withPipelineOptions(program.command('bans').description('List bans, newest first, with their times'))
    .addHelpText(
      'after',
      `
--format json prints the API's items: banId, ref, reason, replacement, bandAids, by, at, state, liftedBy,
liftedAt, plannedAt, protectedAt, remediatedAt, timeToProtectionMs, timeToRemediationMs.

Examples:
  drydock bans
  drydock bans --format json | jq -r '.[] | select(.state == "active") | .banId'`,
    )
    .action(async (flags: PipelineFlags) => {
      const format = parseOutputFormat(flags.format);
      const api = await connectPipeline(flags, io);
      const { bans } = await api.get<{ bans: BanSummary[] }>('/api/bans');
      io.stdout(format === 'json' ? jsonText(bans) : renderBans(bans, textOptions(flags, io)));
      setExit(EXIT.ok);
    });
}
