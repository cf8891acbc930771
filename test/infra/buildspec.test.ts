import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IMAGE_TESTS_REPORT, renderBuildSpec } from '../../infra/drydock-pipeline.js';

const PATH = join(import.meta.dirname, '../../buildspecs/build.yml');
const spec = parse(readFileSync(PATH, 'utf8'));
const phase = (name: string): string[] => spec.phases[name].commands;
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
  it('is a v0.2 buildspec with the four phases in order, in bash', () => {
    expect(spec.version).toBe(0.2);
    expect(spec.env.shell).toBe('bash');
    expect(Object.keys(spec.phases)).toEqual(['install', 'pre_build', 'build', 'post_build']);
  });

  it('stops before building, testing or pushing once a step before it failed', () => {
    for (const name of ['install', 'pre_build', 'build'])
      expect(spec.phases[name]['on-failure']).toBe('ABORT');
  });

  it('fetches the drydock CLI bundle and runs it on the Node.js of the build image', () => {
    expect(spec.phases.install['runtime-versions'].nodejs).toBeDefined();
    expect(phase('install').join('\n')).toContain('aws s3 cp --only-show-errors "$DRYDOCK_CLI_URL"');
    expect(everyCommand().join('\n')).not.toMatch(/\bcurl\b|\bwget\b/);
  });

  it('logs in to ECR with the password on stdin', () => {
    expect(phase('pre_build')).toContain(
      'aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$ECR_REGISTRY"',
    );
  });

  it('resolves and pulls every base with drydock before building, and exports them for the labels and lineage', () => {
    const [bases, load] = phase('build');
    expect(bases).toMatch(/^node "\.drydock\/cli\/drydock\.mjs" image bases /);
    expect(bases).toContain('--dockerfile ".drydock/Dockerfile"');
    expect(bases).toContain('--engine docker --pull');
    expect(bases).toContain('--time-limit "$DRYDOCK_BUILD_TIMEOUT_SECONDS"');
    // Into a file and then sourced: `eval "$(…)"` would succeed when the command failed.
    expect(bases).toMatch(/ --format env > "\.drydock\/bases\.env"$/);
    expect(load).toBe('set -a && . ".drydock/bases.env" && set +a');
    expect(everyCommand().join('\n')).not.toMatch(/\beval\b/);
  });

  it('builds the fetched Dockerfile under a time limit on the bases just pulled, with the lineage labels', () => {
    const build = phase('build').find((c) => c.includes(' docker build '));
    expect(build).toMatch(/^timeout --kill-after=30 "\$DRYDOCK_BUILD_TIMEOUT_SECONDS" docker build /);
    // Pulling again could build on a newer base than the labels name.
    expect(build).not.toContain('--pull');
    expect(phase('build').indexOf(build!)).toBeGreaterThan(1);
    expect(build).toContain('--file ".drydock/Dockerfile"');
    for (const label of [
      'org.opencontainers.image.base.name=$DRYDOCK_BASE_NAME',
      'org.opencontainers.image.base.digest=$DRYDOCK_BASE_DIGEST',
      'org.opencontainers.image.source=$DRYDOCK_SOURCE',
      'org.opencontainers.image.revision=$DRYDOCK_COMMIT',
    ]) {
      expect(build).toContain(`--label "${label}"`);
    }
  });

  it('tests the image without network before pushing it, and reports JUnit XML', () => {
    const post = phase('post_build');
    const test = post.findIndex((c) => c.includes(' image test '));
    const push = post.findIndex((c) => c.startsWith('docker push'));
    expect(test).toBeGreaterThanOrEqual(0);
    expect(push).toBeGreaterThan(test);
    expect(post[test]).toContain('--engine docker --network none');
    expect(post[test]).toContain('--tests ".drydock/context/image-tests.yaml"');
    expect(post[test]).toContain('--time-limit "$DRYDOCK_TEST_TIMEOUT_SECONDS"');
    expect(post[test]).toContain('--junit ".drydock/reports/image-tests.xml"');
    const report = spec.reports[IMAGE_TESTS_REPORT];
    expect(report).toEqual({
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

  it('exports what the build-state function reads back', () => {
    expect(spec.env['exported-variables']).toEqual([
      'DRYDOCK_STAGE',
      'IMAGE_REF',
      'IMAGE_DIGEST',
      'CONFIG_DIGEST',
      'DRYDOCK_BASES',
    ]);
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
