import { makeBuildStateHandler } from './handlers/build-state.js';
import { buildStateDeps } from './shared/deps/build-state.js';

/** SQS handler of the CodeBuild state change queue: relays what a finished build published. */
export const handler = makeBuildStateHandler(buildStateDeps());
