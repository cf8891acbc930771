import { makeBuildStarterHandler } from './handlers/build-starter.js';
import { buildStarterDeps } from './shared/deps/build-starter.js';

/** SQS handler of the build queue: starts one CodeBuild build per Build Requested. */
export const handler = makeBuildStarterHandler(buildStarterDeps());
