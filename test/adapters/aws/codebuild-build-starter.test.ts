import { CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodeBuildBuildStarter, startBuildInput } from '../../../adapters/aws/codebuild-build-starter.js';
import { buildRequested } from '../../contracts/sample-events.js';

const cb = mockClient(CodeBuildClient);
const inputs = {
  requestKey: 'builds/build-r1/request.json',
  contextKey: 'contexts/team%2Fapps/abc/tree/context.zip',
};
const starter = () =>
  new CodeBuildBuildStarter(new CodeBuildClient({ region: 'eu-west-1' }), 'drydock-image-build');
const sdkError = (name: string, status = 400) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

beforeEach(() => cb.reset());
afterEach(() => cb.reset());

describe('startBuildInput', () => {
  it('is the exact StartBuild request: project, idempotency token from the build id, where request and context are', () => {
    expect(startBuildInput(buildRequested('r1'), 'drydock-image-build', inputs)).toEqual({
      projectName: 'drydock-image-build',
      idempotencyToken: 'drydock-build-r1',
      environmentVariablesOverride: [
        { name: 'DRYDOCK_BUILD_ID', value: 'build-r1', type: 'PLAINTEXT' },
        { name: 'DRYDOCK_REQUEST_KEY', value: inputs.requestKey, type: 'PLAINTEXT' },
        { name: 'DRYDOCK_CONTEXT_KEY', value: inputs.contextKey, type: 'PLAINTEXT' },
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
    expect(() => startBuildInput(buildRequested('r3'), 'p', { ...inputs, contextKey: 'a\nb' })).toThrow(
      /DRYDOCK_CONTEXT_KEY cannot hold a line break/,
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
