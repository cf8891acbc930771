import type { Command } from 'commander';
import { readRegistryTags } from '../../adapters/local/registry-reader.js';
import { DrydockError } from '../../core/errors.js';
import { findRegistryDrift, type RegistryDrift } from '../../core/lineage/registry-drift.js';
import type { BaseSummary, ImageSummary } from '../../runtime/local/api-types.js';
import { type CliIo, EXIT } from '../context.js';
import { table } from '../format/pipeline-text.js';
import {
  connectPipeline,
  jsonText,
  type PipelineFlags,
  parseOutputFormat,
  textOptions,
} from '../pipeline-command.js';

// The most `/api/images` lists at once: a store that holds more cannot be compared whole.
const LINEAGE_PAGE = 1000;

/** What `drydock verify --format json` prints. */
export interface VerifyReport {
  /** The registry's host in references. */
  readonly registry: string;
  readonly checked: { readonly tags: number; readonly images: number; readonly bases: number };
  /** Empty when the registry and the lineage store agree. */
  readonly drift: readonly RegistryDrift[];
}

/** The lineage store holds more images than the API lists at once; verify would report false drift. */
export class LineageTooLargeError extends DrydockError {
  override readonly name = 'LineageTooLargeError';

  constructor(limit: number) {
    super(`the lineage store holds ${limit} images or more; drydock verify compares at most ${limit - 1}`, {
      code: 'LINEAGE_TOO_LARGE',
    });
  }
}

const EXPLAIN: Record<RegistryDrift['kind'], string> = {
  moved: 'the tag names another digest than the lineage record',
  missing: 'the lineage record names a tag the registry no longer has',
  untracked: 'in the registry, but neither a published image nor a base',
  'unknown-marker':
    'a support marker of an image that is neither a published image nor a base of its repository',
};

function renderReport(report: VerifyReport, colour: boolean): string {
  const { tags, images, bases } = report.checked;
  const head = `registry ${report.registry}: ${tags} tags; lineage: ${images} images; bases: ${bases}\n`;
  if (report.drift.length === 0)
    return `${head}no drift: every tag is a published image or a base, at its recorded digest\n`;
  const rows = report.drift.map((d) => [
    d.kind,
    d.ref,
    'registryDigest' in d ? d.registryDigest : '—',
    'lineageDigest' in d ? d.lineageDigest : 'subject' in d ? `marks ${d.subject}` : '—',
  ]);
  const kinds = [...new Set(report.drift.map((d) => d.kind))].map((k) => `  ${k}: ${EXPLAIN[k]}\n`).join('');
  return `${head}${report.drift.length} drift${report.drift.length === 1 ? '' : 's'}:\n${table(
    [{ header: 'KIND' }, { header: 'REF' }, { header: 'REGISTRY' }, { header: 'LINEAGE' }],
    rows,
    { colour, indent: '  ' },
  )}${kinds}`;
}

/** `drydock verify`: every registry tag against the lineage store, drift reported. */
export function registerVerify(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description('Compare every tag in the registry with the lineage store and report drift')
    .option('-s, --state <dir>', 'state directory (default: $DRYDOCK_STATE or ./.drydock)')
    .option('-f, --format <format>', 'text | json', 'text')
    .option('--no-color', 'never colour the text output')
    .addHelpText(
      'after',
      `
Reads every tag of the registry (catalog, tags, manifest digests) through its public side, and the
published images and bases through the running pipeline's API. Drift is:
  moved      a published image's tag names another digest than its lineage record
  missing    a published image's tag is gone from the registry
  untracked  a tag that is neither a published image nor a base (pushed around the pipeline)
  unknown-marker  a support-marker tag (sha256-<hex>.unsupported) of an image that is neither a
             published image nor a base of that repository
Support-marker tags of known images are not drift: a ban writes them, and they may be replaced.
The push guard refuses tag moves and manifest deletes, so drift means a write that did not go
through it (the registry's storage or socket touched directly).

Exit status: 0 no drift, 1 drift found, 2 error (pipeline not running, registry not answering).
--format json prints {registry, checked: {tags, images, bases}, drift: [{kind, ref,
registryDigest?, lineageDigest?, subject?}]}.

Examples:
  drydock verify
  drydock verify --state /srv/drydock --format json | jq -r '.drift[] | "\\(.kind) \\(.ref)"'`,
    )
    .action(async (flags: PipelineFlags) => {
      const format = parseOutputFormat(flags.format);
      const api = await connectPipeline(flags, io);
      const registry = api.info.registry;
      const { images } = await api.get<{ images: ImageSummary[] }>(`/api/images?limit=${LINEAGE_PAGE}`);
      if (images.length >= LINEAGE_PAGE) throw new LineageTooLargeError(LINEAGE_PAGE);
      const { bases } = await api.get<{ bases: BaseSummary[] }>('/api/bases');
      const tags = await readRegistryTags(registry);
      const drift = findRegistryDrift({ registryHost: registry, tags, images, bases });
      const report: VerifyReport = {
        registry,
        checked: { tags: tags.length, images: images.length, bases: bases.length },
        drift,
      };
      io.stdout(format === 'json' ? jsonText(report) : renderReport(report, textOptions(flags, io).colour));
      setExit(drift.length === 0 ? EXIT.ok : EXIT.findings);
    });
}
