import type { Command } from 'commander';
import type { NotificationSummary } from '../../runtime/local/api-types.js';
import { type CliIo, EXIT } from '../context.js';
import { renderNotifications } from '../format/pipeline-text.js';
import {
  connectPipeline,
  jsonText,
  type PipelineFlags,
  parseOutputFormat,
  textOptions,
  withLimit,
  withPipelineOptions,
} from '../pipeline-command.js';

/** `drydock notifications`: the outbox of messages to teams, read-only. */
export function registerNotifications(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('notifications')
    .description('List the notifications sent to teams (failed verdicts, builds, tests), newest first');
  withPipelineOptions(cmd, 'notifications to show (default: 50)')
    .addHelpText(
      'after',
      `
Text shows each summary's first line; --format json gives the whole summary.

Examples:
  drydock notifications --limit 5
  drydock notifications --format json | jq -r '.[0].summary'`,
    )
    .action(async (flags: PipelineFlags) => {
      const format = parseOutputFormat(flags.format);
      const api = await connectPipeline(flags, io);
      const { notifications } = await api.get<{ notifications: NotificationSummary[] }>(
        withLimit('/api/notifications', flags.limit),
      );
      io.stdout(
        format === 'json'
          ? jsonText(notifications)
          : renderNotifications(notifications, textOptions(flags, io)),
      );
      setExit(EXIT.ok);
    });
}
