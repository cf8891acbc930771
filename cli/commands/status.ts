import type { Command } from 'commander';
import type { StatusResponse } from '../../runtime/local/api-types.js';
import { type CliIo, EXIT } from '../context.js';
import { renderStatus } from '../format/pipeline-text.js';
import {
  connectPipeline,
  jsonText,
  type PipelineFlags,
  parseOutputFormat,
  textOptions,
  withLimit,
  withPipelineOptions,
} from '../pipeline-command.js';

/** `drydock status`: where the running pipeline is, its queues, and recent pushes and builds. */
export function registerStatus(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('status')
    .description('Show the running pipeline: addresses, queues, recent pushes with verdicts, recent builds');
  withPipelineOptions(cmd, 'recent pushes and builds to show (default: 10)')
    .addHelpText(
      'after',
      `
Examples:
  drydock status
  drydock status --state /srv/drydock --limit 3
  drydock status --format json | jq -r .registry.host

Exit codes: 0 it reports (dead letters and failed builds included), 2 usage errors or no pipeline running.`,
    )
    .action(async (flags: PipelineFlags) => {
      const format = parseOutputFormat(flags.format);
      const api = await connectPipeline(flags, io);
      const status = await api.get<StatusResponse>(withLimit('/api/status', flags.limit));
      io.stdout(format === 'json' ? jsonText(status) : renderStatus(status, textOptions(flags, io)));
      setExit(EXIT.ok);
    });
}
