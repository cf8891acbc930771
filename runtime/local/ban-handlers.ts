import { BAN_STEP_TARGET, type BanStepPorts, handleBanEvent } from '../../core/ban/ban-step.js';
import { BAND_AID_STEP_TARGET, handleBandAidEvent } from '../../core/ban/band-aid-step.js';
import { type DispatchLock, inProcessLock } from '../../core/ban/dispatch-rebuilds.js';
import { handleRebuildEvent, REBUILD_STEP_TARGET } from '../../core/ban/rebuild-step.js';
import type { DefinitionSource } from '../../core/ports/definition-source.js';
import type { EventHandler } from './queue-worker.js';

/** Every port the ban response's steps use, assembled once by `openLocalPipeline`. */
export interface BanHandlerDeps extends Omit<BanStepPorts, 'lock'> {
  readonly source: DefinitionSource;
  /** Serialises dispatching across the `ban` and `rebuilds` workers. @default one lock for these handlers */
  readonly lock?: DispatchLock;
}

/** The handlers of the ban response's rule targets (`ban`, `rebuilds`, `band-aids`), to merge into the pipeline's. */
export function banHandlers(deps: BanHandlerDeps): Record<string, EventHandler> {
  // One lock for both queues' workers: two dispatches at once could each see a free slot and pass the cap.
  const ports = { ...deps, lock: deps.lock ?? inProcessLock() };
  return {
    [BAN_STEP_TARGET]: (event) => handleBanEvent(event, ports),
    [REBUILD_STEP_TARGET]: (event) => handleRebuildEvent(event, ports),
    [BAND_AID_STEP_TARGET]: (event) => handleBandAidEvent(event, ports),
  };
}
