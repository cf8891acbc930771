import type { Command } from 'commander';
import { BUILD_TRANSITIONS, type BuildState } from '../../core/ports/build-records.js';
import type { BuildSummary } from '../../runtime/local/api-types.js';
import { ApiError, type PipelineApi } from '../api-client.js';
import { type CliIo, EXIT, UsageError } from '../context.js';
import { renderBuild, renderBuilds, shortBuildId } from '../format/pipeline-text.js';
import {
  connectPipeline,
  jsonText,
  type PipelineFlags,
  parseOutputFormat,
  textOptions,
  withLimit,
  withPipelineOptions,
} from '../pipeline-command.js';

const STATES = Object.keys(BUILD_TRANSITIONS) as BuildState[];

/** Validated `--only`: a build state. */
function parseBuildState(value: string): BuildState {
  if (!STATES.includes(value as BuildState))
    throw new UsageError(`--only must be one of ${STATES.join(', ')}, not ${JSON.stringify(value)}`);
  return value as BuildState;
}

// The API lists at most this many builds; an older build is still found by its whole id.
const SEARCHED = 1000;
const CANDIDATES_SHOWN = 10;

/**
 * The build a whole id or a unique prefix names (with or without its `build-` prefix); an ambiguous or
 * unknown prefix is a usage error that lists the candidates.
 */
export async function resolveBuild(api: PipelineApi, idOrPrefix: string): Promise<BuildSummary> {
  const wanted = idOrPrefix.trim();
  if (wanted === '') throw new UsageError('a build id (or a unique prefix of one) is required');
  const { builds } = await api.get<{ builds: BuildSummary[] }>(`/api/builds?limit=${SEARCHED}`);
  const exact = builds.find((b) => b.buildId === wanted);
  if (exact) return exact;
  const matches = builds.filter(
    (b) => b.buildId.startsWith(wanted) || b.buildId.startsWith(`build-${wanted}`),
  );
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const shown = matches
      .slice(0, CANDIDATES_SHOWN)
      .map((b) => `  ${b.buildId}  ${b.repository}/${b.definition}  ${b.state}`);
    if (matches.length > CANDIDATES_SHOWN) shown.push(`  … ${matches.length - CANDIDATES_SHOWN} more`);
    throw new UsageError(
      `"${wanted}" matches ${matches.length} builds; give more of the id:\n${shown.join('\n')}`,
    );
  }
  try {
    return await api.get<BuildSummary>(`/api/builds/${encodeURIComponent(wanted)}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      const recent = builds
        .slice(0, 5)
        .map((b) => `  ${shortBuildId(b.buildId)}  ${b.repository}/${b.definition}`);
      throw new UsageError(
        `no build matches "${wanted}"; drydock builds lists them${recent.length ? `. Recent:\n${recent.join('\n')}` : ' (there are none yet)'}`,
      );
    }
    throw err;
  }
}

/** `drydock builds [BUILD]` and `drydock logs BUILD`. */
export function registerBuilds(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const builds = program
    .command('builds')
    .description('List builds, newest first, or show one build with its state history')
    .argument('[build]', 'a build id or a unique prefix of one: show that build');
  withPipelineOptions(builds, 'builds to list (default: 50)')
    .option('--only <state>', `list only builds in this state: ${STATES.join(' | ')}`, parseBuildState)
    .addHelpText(
      'after',
      `
Examples:
  drydock builds
  drydock builds --only failed --limit 5
  drydock builds 3f9c0a1b              one build: where it came from, every state with its time, image or error
  drydock builds --format json | jq -r '.[] | select(.state == "published") | .imageDigest'`,
    )
    .action(async (build: string | undefined, flags: PipelineFlags & { only?: BuildState }) => {
      const format = parseOutputFormat(flags.format);
      if (build !== undefined && (flags.only !== undefined || flags.limit !== undefined))
        throw new UsageError('--only and --limit list builds; leave them out when showing one build');
      const api = await connectPipeline(flags, io);
      if (build !== undefined) {
        const found = await resolveBuild(api, build);
        io.stdout(format === 'json' ? jsonText(found) : renderBuild(found, textOptions(flags, io)));
      } else {
        const path = withLimit(flags.only ? `/api/builds?state=${flags.only}` : '/api/builds', flags.limit);
        const { builds: list } = await api.get<{ builds: BuildSummary[] }>(path);
        io.stdout(
          format === 'json'
            ? jsonText(list)
            : renderBuilds(list, textOptions(flags, io), {
                ...(flags.only ? { empty: `no ${flags.only} builds` } : {}),
              }),
        );
      }
      setExit(EXIT.ok);
    });

  const logs = program
    .command('logs')
    .description("Print a build's log: the buildah output with the resolved bases, then the image-test run")
    .argument('<build>', 'a build id or a unique prefix of one');
  withPipelineOptions(logs)
    .addHelpText(
      'after',
      `
--format json prints {"buildId", "state", "log"}.

Examples:
  drydock logs 3f9c0a1b
  drydock logs "$(drydock builds --only failed --format json | jq -r '.[0].buildId')" | tail -20`,
    )
    .action(async (build: string, flags: PipelineFlags) => {
      const format = parseOutputFormat(flags.format);
      const api = await connectPipeline(flags, io);
      const found = await resolveBuild(api, build);
      const log = await api.text(`/api/builds/${encodeURIComponent(found.buildId)}/log`);
      if (format === 'json') io.stdout(jsonText({ buildId: found.buildId, state: found.state, log }));
      else if (log === '') io.stderr(`drydock: ${found.buildId} (${found.state}) has no log yet\n`);
      else io.stdout(log.endsWith('\n') ? log : `${log}\n`);
      setExit(EXIT.ok);
    });
}
