import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILD_ENV, buildEventsKey } from '../../adapters/aws/build-contract.js';
import {
  BUILD_PROJECT_VARIABLES,
  IMAGE_TESTS_REPORT,
  renderBuildSpec,
} from '../../infra/drydock-pipeline.js';

const PATH = join(import.meta.dirname, '../../buildspecs/build.yml');
const spec = parse(readFileSync(PATH, 'utf8'));
const phase = (name: string): string[] => spec.phases[name].commands;
const CLI = 'node ".drydock/cli/drydock.mjs"';
// Set by CodeBuild itself in every build.
const CODEBUILD_VARIABLES = ['AWS_REGION'];
const everyCommand = (): string[] =>
  Object.values(spec.phases as Record<string, { commands?: string[]; finally?: string[] }>).flatMap((p) => [
    ...(p.commands ?? []),
    ...(p.finally ?? []),
  ]);

// The `$NAME` expansions of a shell command that no double quotes protect (`$(…)` starts a fresh quoting context).
function unquotedExpansions(command: string): string[] {
  const found: string[] = [];
  const stack: ('"' | "'" | '$(')[] = [];
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    const top = stack.at(-1);
    if (top === "'") {
      if (c === "'") stack.pop();
    } else if (c === '$' && command[i + 1] === '(') {
      stack.push('$(');
      i++;
    } else if (c === '$' && /[A-Za-z_{]/.test(command[i + 1] ?? '')) {
      if (top !== '"') found.push(command.slice(i, i + 2));
    } else if (c === '"') {
      if (top === '"') stack.pop();
      else stack.push('"');
    } else if (c === "'" && top !== '"') {
      stack.push("'");
    } else if (c === ')' && top === '$(') {
      stack.pop();
    }
  }
  return found;
}

describe('buildspecs/build.yml', () => {
  it('is a v0.2 buildspec with three phases in order, in bash', () => {
    expect(spec.version).toBe(0.2);
    expect(spec.env.shell).toBe('bash');
    expect(Object.keys(spec.phases)).toEqual(['install', 'pre_build', 'build']);
  });

  it('stops once a phase failed', () => {
    for (const name of ['install', 'pre_build', 'build'])
      expect(spec.phases[name]['on-failure']).toBe('ABORT');
  });

  it('fetches the drydock CLI bundle and runs it on the Node.js of the build image', () => {
    expect(spec.phases.install['runtime-versions'].nodejs).toBeDefined();
    expect(phase('install').join('\n')).toContain('aws s3 cp --only-show-errors "$DRYDOCK_CLI_URL"');
    expect(everyCommand().join('\n')).not.toMatch(/\bcurl\b|\bwget\b/);
  });

  it('downloads the whole Build Requested event and the zipped context the starter stored', () => {
    const pre = phase('pre_build');
    expect(pre).toContain(
      `aws s3 cp --only-show-errors "s3://$SNAPSHOT_BUCKET/$${BUILD_ENV.requestKey}" ".drydock/request.json"`,
    );
    expect(pre).toContain(
      `aws s3 cp --only-show-errors "s3://$SNAPSHOT_BUCKET/$${BUILD_ENV.contextKey}" ".drydock/context.zip"`,
    );
    expect(pre).toContain('unzip -q ".drydock/context.zip" -d ".drydock/context"');
  });

  it('logs in to ECR with the password on stdin', () => {
    expect(phase('pre_build')).toContain(
      'aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$ECR_REGISTRY"',
    );
  });

  it('runs drydock step build, test and publish in that order, each on the events file, with Docker', () => {
    const steps = phase('build');
    expect(steps.map((c) => /^node "\.drydock\/cli\/drydock\.mjs" step (\w+) /.exec(c)?.[1])).toEqual([
      'build',
      'test',
      'publish',
    ]);
    for (const c of steps) {
      expect(c).toContain('--events ".drydock/events.jsonl"');
      expect(c).toContain('--context ".drydock/context" --work ".drydock" --engine docker');
    }
    // Only the build reads the request; the others take the last event of the file.
    expect(steps[0]).toContain('--event ".drydock/request.json"');
    expect(steps.slice(1).join('\n')).not.toContain('--event ');
    expect(steps[0]).toContain('--time-limit "$DRYDOCK_BUILD_TIMEOUT_SECONDS"');
    expect(steps[1]).toContain('--time-limit "$DRYDOCK_TEST_TIMEOUT_SECONDS"');
    expect(steps[2]).toContain('--registry "$ECR_REGISTRY"');
  });

  it('computes no label, tag or digest in bash: drydock does the build, test and push', () => {
    const all = everyCommand().join('\n');
    for (const bashism of [
      '--label',
      'docker build',
      'docker push',
      'docker tag',
      'image inspect',
      'RepoDigests',
      'image test',
      'image bases',
    ]) {
      expect(all).not.toContain(bashism);
    }
    expect(spec.env['exported-variables']).toBeUndefined();
    expect(all.split(CLI).length - 1).toBe(4);
  });

  it('uploads the events file whatever happened, to the key the build-state function reads', () => {
    // buildEventsKey refuses `$`, so the key is built for a placeholder id and the variable put in its place.
    const key = buildEventsKey('PLACEHOLDER').replace('PLACEHOLDER', `$${BUILD_ENV.buildId}`);
    expect(spec.phases.build.finally).toEqual([
      'touch ".drydock/events.jsonl"',
      `aws s3 cp --only-show-errors ".drydock/events.jsonl" "s3://$SNAPSHOT_BUCKET/${key}"`,
    ]);
  });

  it('reads only variables the project, StartBuild, CodeBuild or the buildspec itself set', () => {
    const set = new Set<string>([
      ...BUILD_PROJECT_VARIABLES,
      ...Object.values(BUILD_ENV),
      ...CODEBUILD_VARIABLES,
      ...Object.keys(spec.env.variables as object),
    ]);
    const read = new Set(
      everyCommand().flatMap((c) => [...c.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!)),
    );
    expect([...read].filter((name) => !set.has(name))).toEqual([]);
    expect(read).toContain(BUILD_ENV.buildId);
    expect(read).toContain(BUILD_ENV.requestKey);
    expect(read).toContain(BUILD_ENV.contextKey);
  });

  it('reports the JUnit XML the test step writes', () => {
    expect(spec.reports[IMAGE_TESTS_REPORT]).toEqual({
      files: ['image-tests.xml'],
      'base-directory': '.drydock/reports',
      'file-format': 'JUNITXML',
    });
  });

  it('names its report after the report group the stack points it at', () => {
    expect(Object.keys(spec.reports)).toEqual([IMAGE_TESTS_REPORT]);
    const rendered = renderBuildSpec(
      PATH,
      'arn:aws:codebuild:eu-west-1:111111111111:report-group/drydock-image-tests',
    );
    expect(Object.keys(rendered.reports as object)).toEqual([
      'arn:aws:codebuild:eu-west-1:111111111111:report-group/drydock-image-tests',
    ]);
    expect(rendered.phases).toEqual(spec.phases);
  });

  it('never echoes, traces or dumps the environment, and holds no secret', () => {
    const commands = everyCommand();
    for (const c of commands) {
      expect(c).not.toMatch(/^\s*(echo|printf|printenv|env|set\s+-[a-z]*x)\b/);
      expect(c).not.toMatch(/\bset\s+-[a-z]*x/);
      expect(c).not.toMatch(/\$\{?[A-Z_]*(SECRET|TOKEN|PASSWORD)/);
    }
    expect(spec.env['secrets-manager']).toBeUndefined();
    expect(spec.env['parameter-store']).toBeUndefined();
    for (const [name, value] of Object.entries(spec.env.variables as Record<string, string>)) {
      expect(name).not.toMatch(/SECRET|TOKEN|PASSWORD/);
      expect(String(value)).not.toMatch(/^[A-Za-z0-9+/=]{32,}$/);
    }
  });

  it('quotes every variable it expands', () => {
    for (const c of everyCommand()) expect(unquotedExpansions(c), c).toEqual([]);
    expect(unquotedExpansions('docker push $IMAGE_REF "$(inspect $X)"')).toEqual(['$I', '$X']);
  });
});
