import { DrydockError, ToolMissingError } from '../../core/errors.js';
import {
  BuildCancelledError,
  BuildFailedError,
  type BuildRequest,
  type BuildService,
  BuildTimedOutError,
  type BuiltImage,
} from '../../core/ports/build-service.js';
import type { FakeBuildContext } from './build-context.js';
import { sha256Of, sortedEntries } from './digests.js';
import type { FakeImageStore } from './image-store.js';

/** What the fake builder saw of one build. */
export interface RecordedBuild {
  readonly buildId: string;
  readonly tag: string;
  readonly contextDir: string;
  readonly dockerfileText: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** The context files the build read (the export to `contextDir`). */
  readonly contextFiles: ReadonlyMap<string, string>;
}

/** How the next build ends, instead of building. */
export type BuildScript =
  /** Prints these lines, then builds as usual. */
  | { readonly kind: 'print'; readonly lines: readonly string[] }
  | { readonly kind: 'fail'; readonly reason: string; readonly lines?: readonly string[] }
  | { readonly kind: 'time-out'; readonly lines?: readonly string[] }
  /** Prints its lines, then runs until the request's signal aborts it (`BuildCancelledError`). */
  | { readonly kind: 'hang'; readonly lines?: readonly string[] }
  | { readonly kind: 'tool-missing' };

// As many lines as buildah's error keeps of the log.
const TAIL_LINES = 30;

/**
 * A builder that builds nothing: it records each request, prints a `STEP i/n: …` line per instruction as buildah
 * does, and stores an image whose id is derived from everything that makes an image (Dockerfile text, labels,
 * build args, context files), so the same request gives the same id. It reads the context that was exported to
 * `contextDir` and fails like buildah when there is none. `scriptNext` makes the next build print lines of its own,
 * fail, time out, hang until aborted, or miss its tool.
 */
export class FakeBuildService implements BuildService {
  readonly builds: RecordedBuild[] = [];
  readonly #store: FakeImageStore;
  readonly #context: FakeBuildContext;
  readonly #scripts: BuildScript[] = [];

  constructor(props: { readonly store: FakeImageStore; readonly context: FakeBuildContext }) {
    this.#store = props.store;
    this.#context = props.context;
  }

  scriptNext(script: BuildScript): this {
    this.#scripts.push(script);
    return this;
  }

  async build(request: BuildRequest): Promise<BuiltImage> {
    const script = this.#scripts.shift();
    if (script?.kind === 'tool-missing') throw new ToolMissingError('buildah', 'buildah');
    const exported = this.#context.exportedTo(request.contextDir);
    this.builds.push({
      buildId: request.buildId,
      tag: request.tag,
      contextDir: request.contextDir,
      dockerfileText: request.dockerfileText,
      labels: { ...request.labels },
      buildArgs: { ...request.buildArgs },
      timeoutMs: request.timeoutMs,
      contextFiles: exported?.files ?? new Map(),
    });
    const printed: string[] = [];
    const say = (line: string) => {
      printed.push(line);
      request.log(line);
    };
    const tail = () => printed.slice(-TAIL_LINES);
    if (request.signal?.aborted) throw new BuildCancelledError(request.buildId);
    if (!exported) {
      say(`Error: context directory ${request.contextDir} does not exist`);
      throw new BuildFailedError(request.buildId, `no build context at ${request.contextDir}`, tail());
    }
    const steps = instructions(request.dockerfileText);
    if (script?.kind === 'print') for (const line of script.lines) say(line);
    else if (script) {
      for (const line of script.lines ?? []) say(line);
      if (script.kind === 'fail') throw new BuildFailedError(request.buildId, script.reason, tail());
      if (script.kind === 'time-out') {
        throw new BuildTimedOutError(request.buildId, request.timeoutMs, tail());
      }
      const signal = request.signal;
      if (!signal) {
        throw new DrydockError('a hanging fake build needs a signal to end it', { code: 'FAKE_MISUSED' });
      }
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      throw new BuildCancelledError(request.buildId);
    }
    for (const [i, step] of steps.entries()) say(`STEP ${i + 1}/${steps.length}: ${step}`);
    say(`COMMIT ${request.tag}`);
    const imageId = sha256Of(
      JSON.stringify({
        dockerfile: request.dockerfileText,
        labels: sortedEntries(request.labels),
        buildArgs: sortedEntries(request.buildArgs),
        context: [...exported.files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
      }),
    );
    say(imageId.slice('sha256:'.length));
    this.#store.add(request.tag, { imageId, labels: { ...request.labels }, created: '2025-03-14T09:00:00Z' });
    return { imageId, tag: request.tag, durationMs: 0 };
  }
}

function instructions(text: string): string[] {
  // Continuation lines are joined, comments and blank lines dropped: what buildah numbers as steps.
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
