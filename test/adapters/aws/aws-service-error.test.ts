import { describe, expect, it } from 'vitest';
import {
  AwsServiceError,
  awsCall,
  chunk,
  isRetryableAwsError,
} from '../../../adapters/aws/aws-service-error.js';

const sdk = (name: string, status?: number, extra: object = {}) =>
  Object.assign(new Error(name), {
    name,
    ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    ...extra,
  });

describe('isRetryableAwsError', () => {
  it.each([
    [sdk('AccountLimitExceededException', 400), true],
    [sdk('ThrottlingException', 400), true],
    [sdk('ProvisionedThroughputExceededException', 400), true],
    [sdk('SomethingNew', 503), true],
    [sdk('SomethingNew', 429), true],
    [sdk('AccessDeniedException', 403), false],
    [sdk('ValidationException', 400), false],
    [sdk('Weird', 400, { $retryable: {} }), true],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    [new Error('plain'), false],
    ['not an error', false],
  ])('%s → %s', (err, retryable) => {
    expect(isRetryableAwsError(err)).toBe(retryable);
  });
});

describe('awsCall', () => {
  it('wraps an SDK error with the action and keeps the cause', async () => {
    const cause = sdk('InvalidInputException', 400);
    const error = (await awsCall('codebuild:StartBuild', async () => {
      throw cause;
    }).catch((e: unknown) => e)) as AwsServiceError;
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({
      action: 'codebuild:StartBuild',
      awsCode: 'InvalidInputException',
      retryable: false,
      code: 'AWS_CALL_FAILED',
    });
    expect(error.cause).toBe(cause);
  });
});

describe('chunk', () => {
  it('cuts by count and by size, never leaving an empty chunk', () => {
    expect(chunk([1, 2, 3, 4, 5], 2).map((c) => c.length)).toEqual([2, 2, 1]);
    expect(chunk([5, 5, 5, 20], 10, 12, (n) => n)).toEqual([[5, 5], [5], [20]]);
    expect(chunk([], 10)).toEqual([]);
  });
});
