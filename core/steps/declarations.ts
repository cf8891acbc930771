import { BAND_AID_REQUESTED } from '../events/band-aid-requested.js';
import { BASE_IMAGE_BANNED } from '../events/base-image-banned.js';
import { BASE_IMAGE_UNBANNED } from '../events/base-image-unbanned.js';
import { BUILD_COMPLETED } from '../events/build-completed.js';
import { BUILD_FAILED } from '../events/build-failed.js';
import { BUILD_REQUESTED } from '../events/build-requested.js';
import { DEFINITION_GATE_REQUESTED } from '../events/definition-gate-requested.js';
import { DEFINITION_PUSHED } from '../events/definition-pushed.js';
import { DEFINITION_VERDICT } from '../events/definition-verdict.js';
import { IMAGE_PUBLISHED } from '../events/image-published.js';
import { IMAGE_TESTED } from '../events/image-tested.js';
import { REBUILD_OUTCOME } from '../events/rebuild-outcome.js';
import type { StepDeclaration } from './step.js';

/**
 * What each step is, as data: the detail-types it consumes and may emit and the ports it needs, keyed by its name
 * (the rule target it consumes). Each step file adds its handler to its entry; infra and the build-state relay read
 * this table alone, so they do not load the steps' code.
 */
export const STEP_DECLARATIONS = {
  gate: {
    description: 'Lints and policy-checks pushed definitions; publishes verdicts and Build Requested.',
    consumes: [DEFINITION_PUSHED, DEFINITION_GATE_REQUESTED],
    emits: [DEFINITION_GATE_REQUESTED, DEFINITION_VERDICT, BUILD_REQUESTED],
    ports: ['bus', 'clock', 'policy', 'source', 'gateSettings', 'publishedEvents'],
  },
  build: {
    description:
      'Builds each definition the gate passed, on bases pinned by digest, with the lineage labels.',
    consumes: [BUILD_REQUESTED],
    emits: [BUILD_COMPLETED, BUILD_FAILED],
    ports: ['bus', 'buildContext', 'workspaces', 'builder', 'registry', 'records', 'buildLogs', 'limits'],
  },
  test: {
    description: 'Black-box tests every image that built, in a sandbox with no network; reports JUnit XML.',
    consumes: [BUILD_COMPLETED],
    emits: [IMAGE_TESTED, BUILD_FAILED],
    ports: [
      'bus',
      'clock',
      'source',
      'tester',
      'testReports',
      'records',
      'buildLogs',
      'limits',
      'localImages',
    ],
  },
  publish: {
    description: 'Pushes images whose black-box tests passed to the registry only the pipeline may push to.',
    consumes: [IMAGE_TESTED],
    emits: [IMAGE_PUBLISHED, BUILD_FAILED],
    ports: ['bus', 'clock', 'registry', 'records', 'localImages'],
  },
  lineage: {
    description: 'Records the lineage of every published image (which bases it was built on).',
    consumes: [IMAGE_PUBLISHED],
    emits: [],
    ports: ['lineage'],
  },
  notify: {
    description: 'Tells teams about failed verdicts, builds and tests, substituted bases and what a ban did.',
    consumes: [DEFINITION_VERDICT, BUILD_FAILED, IMAGE_TESTED, REBUILD_OUTCOME],
    emits: [],
    ports: ['notifier'],
  },
  ban: {
    description: 'Plans and starts the response to a ban, or undoes it when the ban is lifted.',
    consumes: [BASE_IMAGE_BANNED, BASE_IMAGE_UNBANNED],
    emits: [DEFINITION_GATE_REQUESTED, REBUILD_OUTCOME, BAND_AID_REQUESTED],
    ports: [
      'bus',
      'clock',
      'policy',
      'bans',
      'lineage',
      'fleet',
      'admission',
      'markers',
      'banPlan',
      'records',
      'dispatchLock',
      'buildConcurrency',
    ],
  },
  rebuilds: {
    description:
      'Follows each rebuild to its end (published, or failed at the gate, build, tests or push) and starts the rebuilds that waited for it.',
    consumes: [IMAGE_PUBLISHED, BUILD_FAILED, DEFINITION_VERDICT, IMAGE_TESTED],
    emits: [DEFINITION_GATE_REQUESTED, REBUILD_OUTCOME],
    ports: [
      'bus',
      'clock',
      'policy',
      'bans',
      'lineage',
      'records',
      'source',
      'dispatchLock',
      'buildConcurrency',
    ],
  },
  'band-aids': {
    description:
      'Runs an approved band-aid in the containers of one batch of hosts, and records each result.',
    consumes: [BAND_AID_REQUESTED],
    emits: [],
    ports: ['clock', 'policy', 'bans', 'fleet'],
  },
} as const satisfies Record<string, StepDeclaration>;

/** The name of a step (and of the rule target it consumes). */
export type StepName = keyof typeof STEP_DECLARATIONS;
