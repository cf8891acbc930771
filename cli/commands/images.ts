import type { Command } from 'commander';
import type { ImageSummary } from '../../runtime/local/api-types.js';
import { type CliIo, EXIT } from '../context.js';
import { renderImages } from '../format/pipeline-text.js';
import {
  connectPipeline,
  jsonText,
  type PipelineFlags,
  parseOutputFormat,
  textOptions,
  withLimit,
  withPipelineOptions,
} from '../pipeline-command.js';

/** `drydock images`: the published images with their bases and status. */
export function registerImages(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('images')
    .description('List published images, newest first, with the bases they were built on');
  withPipelineOptions(cmd, 'images to show (default: 100)')
    .addHelpText(
      'after',
      `
STATUS is supported, or UNSUPPORTED while an active ban marks the image (REASON names the ban and why;
drydock ban show ID tells the rest).

--format json prints an array of the API's items: ref, digest, bases [{name, digest}], status
(supported | unsupported), supported (boolean), unsupportedBy [{banId, reason}], repository, definition,
commit, publishedAt.

Examples:
  drydock images
  drydock images --format json | jq -r '.[] | select(.supported | not) | .ref'`,
    )
    .action(async (flags: PipelineFlags) => {
      const format = parseOutputFormat(flags.format);
      const api = await connectPipeline(flags, io);
      const { images } = await api.get<{ images: ImageSummary[] }>(withLimit('/api/images', flags.limit));
      io.stdout(format === 'json' ? jsonText(images) : renderImages(images, textOptions(flags, io)));
      setExit(EXIT.ok);
    });
}
