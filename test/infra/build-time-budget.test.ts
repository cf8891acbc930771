// The CodeBuild build's time limits must leave room for every step and the events upload. CodeBuild stops a timed-out
// build without running the build phase's `finally`, so a build that reaches the project timeout uploads no events
// file: the build-state function then reports a failed build at stage build, and an image the publish step pushed
// just before has no Image Published (no lineage, invisible to the response to a ban of its base). A team controls
// how long its build and tests take; with the build's limit at the project timeout minus ten minutes and the
// tests' at ten minutes, a build of 49 minutes and tests of 9 left the push and upload no time at all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  PUBLISH_TIME_LIMIT_SECONDS,
  SETUP_TIME_LIMIT_SECONDS,
  TEST_TIME_LIMIT_SECONDS,
} from '../../infra/constructs/image-build.js';
import { synthDrydock } from './synth.js';

const spec = parse(readFileSync(join(import.meta.dirname, '../../buildspecs/build.yml'), 'utf8'));
const testSeconds = Number(spec.env.variables.DRYDOCK_TEST_TIMEOUT_SECONDS);

function budget(template: Template): { project: number; build: number } {
  const projects = Object.values(template.findResources('AWS::CodeBuild::Project')) as {
    Properties: {
      TimeoutInMinutes: number;
      Environment: { EnvironmentVariables: { Name: string; Value: string }[] };
    };
  }[];
  expect(projects).toHaveLength(1);
  const p = projects[0]!.Properties;
  const build = p.Environment.EnvironmentVariables.find((v) => v.Name === 'DRYDOCK_BUILD_TIMEOUT_SECONDS');
  return { project: p.TimeoutInMinutes * 60, build: Number(build?.Value) };
}

describe('the CodeBuild time budget', () => {
  it('leaves the tests, the push and the events upload their time within the project timeout', () => {
    expect(testSeconds).toBe(TEST_TIME_LIMIT_SECONDS);
    // The push's own time limit (ContainerCliImageRegistry's default) and the downloads before the steps.
    expect(PUBLISH_TIME_LIMIT_SECONDS).toBeGreaterThanOrEqual(600);
    expect(SETUP_TIME_LIMIT_SECONDS).toBeGreaterThanOrEqual(300);
    const { project, build } = budget(synthDrydock().template);
    expect(project).toBe(4500);
    // The team's build keeps the 50 minutes it had when the tests and the push were bash in the buildspec.
    expect(build).toBe(3000);
    expect(SETUP_TIME_LIMIT_SECONDS + build + testSeconds + PUBLISH_TIME_LIMIT_SECONDS).toBeLessThanOrEqual(
      project,
    );
  });

  it('refuses a project timeout too short for the steps, rather than giving the build a limit it cannot keep', () => {
    expect(() => synthDrydock({ pipeline: { buildTimeout: Duration.minutes(20) } })).toThrow(
      /buildTimeout of 20 minutes leaves the build no time/,
    );
  });
});
