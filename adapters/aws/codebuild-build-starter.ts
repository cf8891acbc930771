import {
  type CodeBuildClient,
  type EnvironmentVariable,
  StartBuildCommand,
  type StartBuildCommandInput,
} from '@aws-sdk/client-codebuild';
import { DrydockError } from '../../core/errors.js';
import type { BuildRequestedEvent } from '../../core/events/build-requested.js';
import { awsCall } from './aws-service-error.js';
import { BUILD_ENV } from './build-contract.js';

/** Where one build's inputs are in the snapshot bucket. */
export interface BuildInputs {
  /** Key of the `Build Requested` event the build runs (`buildRequestKey`). */
  readonly requestKey: string;
  /** Key of the zipped build context. */
  readonly contextKey: string;
}

// CodeBuild environment variable values must be printable; a value with a newline would split in the shell.
const UNSAFE_VALUE = /[\0\r\n]/;

/**
 * The exact StartBuild request for one `Build Requested` event: the idempotency token is derived from the
 * build id, so that a redelivered request within CodeBuild's 5-minute token window starts nothing new. The build
 * gets only where its request and context are (PLAINTEXT, none is a secret): the steps it runs read the rest from
 * the request.
 */
export function startBuildInput(
  event: BuildRequestedEvent,
  projectName: string,
  inputs: BuildInputs,
): StartBuildCommandInput {
  const d = event.detail;
  const values: Record<string, string> = {
    [BUILD_ENV.buildId]: d.buildId,
    [BUILD_ENV.requestKey]: inputs.requestKey,
    [BUILD_ENV.contextKey]: inputs.contextKey,
  };
  const environmentVariablesOverride: EnvironmentVariable[] = Object.entries(values).map(([name, value]) => {
    if (UNSAFE_VALUE.test(value)) {
      throw new DrydockError(`${name} cannot hold a line break or NUL`, { code: 'BUILD_INPUT_INVALID' });
    }
    return { name, value, type: 'PLAINTEXT' };
  });
  return {
    projectName,
    idempotencyToken: `drydock-${d.buildId}`,
    environmentVariablesOverride,
  };
}

/** A started CodeBuild build. */
export interface StartedBuild {
  readonly arn: string;
  readonly id: string;
}

/**
 * Starts builds on the CodeBuild project. Throttling and `AccountLimitExceededException` come back as a
 * retryable `AwsServiceError`, so the caller hands the request back to its queue to try again later.
 */
export class CodeBuildBuildStarter {
  constructor(
    private readonly client: CodeBuildClient,
    private readonly projectName: string,
  ) {}

  async start(event: BuildRequestedEvent, inputs: BuildInputs): Promise<StartedBuild> {
    const input = startBuildInput(event, this.projectName, inputs);
    const out = await awsCall('codebuild:StartBuild', () => this.client.send(new StartBuildCommand(input)));
    const arn = out.build?.arn;
    const id = out.build?.id;
    if (!arn || !id) {
      throw new DrydockError(`StartBuild for ${event.detail.buildId} returned no build`, {
        code: 'BUILD_NOT_STARTED',
        retryable: true,
      });
    }
    return { arn, id };
  }
}
