import type { Command } from 'commander';
import type { DeadLetterSummary } from '../../runtime/local/api-types.js';
import { type CliIo, EXIT } from '../context.js';
import { renderDeadLetters } from '../format/pipeline-text.js';
import {
  connectPipeline,
  jsonText,
  type PipelineFlags,
  parseOutputFormat,
  textOptions,
  withPipelineOptions,
} from '../pipeline-command.js';

/** `drydock dead-letters`: messages every queue gave up on, read-only. */
export function registerDeadLetters(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('dead-letters')
    .description('List the messages each queue gave up on, with the reason and how often they were received');
  withPipelineOptions(cmd)
    .addHelpText(
      'after',
      `
Examples:
  drydock dead-letters
  drydock dead-letters --format json | jq -r '.[] | "\\(.queue) \\(.reason)"'`,
    )
    .action(async (flags: PipelineFlags) => {
      const format = parseOutputFormat(flags.format);
      const api = await connectPipeline(flags, io);
      const { deadLetters } = await api.get<{ deadLetters: DeadLetterSummary[] }>('/api/dead-letters');
      io.stdout(
        format === 'json' ? jsonText(deadLetters) : renderDeadLetters(deadLetters, textOptions(flags, io)),
      );
      setExit(EXIT.ok);
    });
}
