import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // Hooks synthesize stacks and start registries and daemons: on a loaded 2-core machine 10 s is not enough.
    hookTimeout: 120_000,
    pool: 'threads',
    projects: [
      {
        extends: true,
        test: { name: 'main', include: ['test/**/*.test.ts'], exclude: ['test/infra/**'] },
      },
      {
        extends: true,
        // One worker, modules shared between the files: the default stack is synthesized once for all of them
        // (test/infra/synth.ts keeps it), instead of once per file, each close to the hook time limit.
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          isolate: false,
          fileParallelism: false,
          globalSetup: ['test/infra/global-setup.ts'],
        },
      },
    ],
  },
});
