import { runBuild } from '../pipeline/build-step.js';
import { STEP_DECLARATIONS } from './declarations.js';
import { defineStep } from './step.js';

/** The build: builds one requested definition on its pinned bases with the lineage labels. */
export const buildStep = defineStep({
  name: 'build',
  ...STEP_DECLARATIONS.build,
  handle: async (event, ports) => {
    await ports.bus.publish([
      await runBuild(event, {
        context: ports.buildContext,
        builder: ports.builder,
        registry: ports.registry,
        records: ports.records,
        workspace: ports.workspaces,
        logSink: ports.buildLogs,
        timeoutMs: ports.limits.buildTimeoutMs,
        ...(ports.limits.logTailLines ? { tailLines: ports.limits.logTailLines } : {}),
        ...(ports.limits.signal ? { signal: ports.limits.signal } : {}),
      }),
    ]);
  },
});
