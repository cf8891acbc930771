import { CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodeBuildBuildStarter, startBuildInput } from '../../../adapters/aws/codebuild-build-starter.js';
import { buildRequested } from '../../contracts/sample-events.js';

const cb = mockClient(CodeBuildClient);
const inputs = {
  contextKey: 'contexts/team%2Fapps/abc/tree/context.zip',
  dockerfileKey: 'builds/build-r1/Dockerfile',
  image: 'drydock/apps/team/apps',
  tag: 'abcdef012345',
  source: 'https://team/apps',
};
const starter = () =>
  new CodeBuildBuildStarter(new CodeBuildClient({ region: 'eu-west-1' }), 'drydock-image-build');
const sdkError = (name: string, status = 400) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

beforeEach(() => cb.reset());
afterEach(() => cb.reset());

describe('startBuildInput', () => {
  it('is the exact StartBuild request: project, idempotency token from the build id, PLAINTEXT overrides', () => {
    const event = buildRequested('r1');
    event.detail.substitutions.push({
      from: 'docker.io/library/node:18',
      to: 'docker.io/library/node:20',
      rule: 'node-18-eol',
    });
    expect(startBuildInput(event, 'drydock-image-build', inputs)).toEqual({
      projectName: 'drydock-image-build',
      idempotencyToken: 'drydock-build-r1',
      environmentVariablesOverride: [
        { name: 'DRYDOCK_BUILD_ID', value: 'build-r1', type: 'PLAINTEXT' },
        { name: 'DRYDOCK_CORRELATION_ID', value: 'r1', type: 'PLAINTEXT' },
        { name: 'DRYDOCK_EVENT_ID', value: 'r1', type: 'PLAINTEXT' },
        { name: 'DRYDOCK_REPOSITORY', value: 'team/apps', type: 'PLAINTEXT' },
        { name: 'DRYDOCK_COMMIT', value: event.detail.commit, type: 'PLAINTEXT' },
        { name: 'DRYDOCK_DEFINITION', value: 'Dockerfile', type: 'PLAINTEXT' },
        { name: 'DRYDOCK_CONTEXT_KEY', value: inputs.contextKey, type: 'PLAINTEXT' },
        { name: 'DRYDOCK_DOCKERFILE_KEY', value: inputs.dockerfileKey, type: 'PLAINTEXT' },
        { name: 'DRYDOCK_IMAGE', value: inputs.image, type: 'PLAINTEXT' },
        { name: 'DRYDOCK_TAG', value: inputs.tag, type: 'PLAINTEXT' },
        { name: 'DRYDOCK_SOURCE', value: inputs.source, type: 'PLAINTEXT' },
        {
          name: 'DRYDOCK_SUBSTITUTIONS',
          value:
            '[{"from":"docker.io/library/node:18","to":"docker.io/library/node:20","rule":"node-18-eol"}]',
          type: 'PLAINTEXT',
        },
      ],
    });
  });

  it('never passes the Dockerfile text or anything but PLAINTEXT', () => {
    const input = startBuildInput(buildRequested('r2'), 'p', inputs);
    const overrides = input.environmentVariablesOverride ?? [];
    expect(overrides.every((o) => o.type === 'PLAINTEXT')).toBe(true);
    expect(overrides.some((o) => o.value?.includes('FROM '))).toBe(false);
  });

  it('refuses a value with a line break', () => {
    expect(() => startBuildInput(buildRequested('r3'), 'p', { ...inputs, tag: 'a\nb' })).toThrow(
      /DRYDOCK_TAG cannot hold a line break/,
    );
  });
});

describe('CodeBuildBuildStarter', () => {
  it('starts the build and returns its ARN', async () => {
    cb.on(StartBuildCommand).resolves({
      build: { arn: 'arn:aws:codebuild:eu-west-1:111111111111:build/p:1', id: 'p:1' },
    });
    await expect(starter().start(buildRequested('r1'), inputs)).resolves.toEqual({
      arn: 'arn:aws:codebuild:eu-west-1:111111111111:build/p:1',
      id: 'p:1',
    });
  });

  it.each([
    ['AccountLimitExceededException', 400, true],
    ['ThrottlingException', 400, true],
    ['InternalFailure', 500, true],
    ['InvalidInputException', 400, false],
    ['ResourceNotFoundException', 400, false],
  ])('wraps %s as retryable=%s', async (name, status, retryable) => {
    cb.on(StartBuildCommand).rejects(sdkError(name, status));
    await expect(starter().start(buildRequested('r1'), inputs)).rejects.toMatchObject({
      name: 'AwsServiceError',
      awsCode: name,
      action: 'codebuild:StartBuild',
      retryable,
    });
  });
});
