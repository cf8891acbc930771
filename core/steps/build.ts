import { BUILD_COMPLETED } from '../events/build-completed.js';
import { BUILD_FAILED } from '../events/build-failed.js';
import { BUILD_REQUESTED } from '../events/build-requested.js';
import { runBuild } from '../pipeline/build-step.js';
import { defineStep } from './step.js';

/** The build: builds one requested definition on its pinned bases with the lineage labels. */
export const buildStep = defineStep({
  name: 'build',
  description: 'Builds each definition the gate passed, on bases pinned by digest, with the lineage labels.',
  consumes: [BUILD_REQUESTED],
  emits: [BUILD_COMPLETED, BUILD_FAILED],
  ports: ['bus', 'buildContext', 'workspaces', 'builder', 'registry', 'records', 'buildLogs', 'limits'],
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
