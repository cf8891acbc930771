import type { Command } from 'commander';
import { PipelineApi } from './api-client.js';
import { colourOn } from './commands/lint.js';
import { type CliIo, UsageError } from './context.js';
import type { TextOptions } from './format/pipeline-text.js';
import { stateDir } from './state-dir.js';

/** The output formats of the commands that read the running pipeline. */
export type OutputFormat = 'text' | 'json';

/** The flags every pipeline-reading command shares. */
export interface PipelineFlags {
  state?: string;
  format?: string;
  limit?: number;
  color?: boolean;
}

/** Validated `--format`: text or json. */
export function parseOutputFormat(value: string | undefined): OutputFormat {
  const f = (value ?? 'text').toLowerCase();
  if (f !== 'text' && f !== 'json') throw new UsageError(`unknown --format "${value}"; use text or json`);
  return f;
}

/** Validated `--limit`: what the API accepts, 1 to 1000. */
export function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > 1000)
    throw new UsageError(`--limit must be a whole number from 1 to 1000, not ${JSON.stringify(value)}`);
  return n;
}

/** Adds `--state`, `--format`, `--no-color` and, when `limit` describes it, `--limit`. */
export function withPipelineOptions(cmd: Command, limit?: string): Command {
  cmd
    .option('-s, --state <dir>', 'state directory (default: $DRYDOCK_STATE or ./.drydock)')
    .option('-f, --format <format>', 'text | json', 'text');
  if (limit) cmd.option('-n, --limit <n>', limit, parseLimit);
  return cmd.option('--no-color', 'never colour the text output');
}

/** The API of the pipeline running on the flags' state directory; `PipelineNotRunningError` when none runs. */
export function connectPipeline(flags: PipelineFlags, io: CliIo): Promise<PipelineApi> {
  return PipelineApi.connect(stateDir(flags.state, io.env, io.cwd));
}

/** `path` with `?limit=N` when a limit was given. */
export const withLimit = (path: string, limit: number | undefined): string =>
  limit === undefined ? path : `${path}${path.includes('?') ? '&' : '?'}limit=${limit}`;

/** Clock and colour for text rendering: colour only on a TTY, never with NO_COLOR or --no-color. */
export const textOptions = (flags: PipelineFlags, io: CliIo): TextOptions => ({
  now: io.now(),
  colour: colourOn(flags, io),
});

/** Pretty JSON, as the API gives it, with a final newline. */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
