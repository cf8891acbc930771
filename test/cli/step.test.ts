import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DrydockEvent, toEventBridge } from '../../core/events/index.js';
import { buildRequested, commit } from '../contracts/sample-events.js';
import { runCli, tempTree } from '../helpers/cli.js';

const wire = (e: DrydockEvent) => JSON.stringify(toEventBridge(e));
const built: DrydockEvent = {
  id: 'completed-1',
  source: 'drydock',
  detailType: 'Build Completed',
  time: '2026-12-08T00:00:00.000Z',
  detail: {
    buildId: 'build-1',
    repository: 'shop',
    commit: commit('c1'),
    definition: 'hello/Dockerfile',
    correlationId: 'push-1',
    imageRef: 'localhost/drydock-build/build-1:latest',
    configDigest: `sha256:${'a'.repeat(64)}`,
    bases: [],
    durationMs: 1,
    logTail: '',
  },
};
const failedTest: DrydockEvent = {
  id: 'tested-1',
  source: 'drydock',
  detailType: 'Image Tested',
  time: '2026-12-08T00:00:00.000Z',
  detail: {
    buildId: 'build-1',
    repository: 'shop',
    commit: commit('c1'),
    definition: 'hello/Dockerfile',
    correlationId: 'push-1',
    imageRef: 'localhost/drydock-build/build-1:latest',
    configDigest: `sha256:${'a'.repeat(64)}`,
    passed: false,
    summary: { tests: 1, failures: 1, skipped: 0, durationMs: 1 },
    failures: [{ name: 'greeting', message: 'no' }],
  },
};

const step = (dir: string, ...args: string[]) =>
  runCli(['step', ...args, '--context', 'context', '--work', 'work', '--engine', 'docker'], {
    cwd: dir,
    env: { PATH: process.env.PATH },
  });

describe('drydock step', () => {
  it('documents the three steps with examples', async () => {
    const help = await runCli(['step', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('drydock step build --event .drydock/request.json');
    expect(help.stdout).toContain('Exit status: 0 the step ran');
  });

  it('refuses a step CodeBuild does not run', async () => {
    const dir = tempTree({ 'events.jsonl': `${wire(built)}\n` });
    const out = await step(dir, 'gate', '--events', 'events.jsonl');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('unknown step "gate": one of build, test, publish');
  });

  it('names the event file it cannot read', async () => {
    const dir = tempTree({});
    const out = await step(dir, 'build', '--event', 'missing.json', '--events', 'events.jsonl');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('cannot read the event file missing.json');
  });

  it('names the file and line of an event that is not valid', async () => {
    const dir = tempTree({
      'events.jsonl': `${wire(built)}\n{"detail-type":"Build Completed","detail":{}}\n`,
    });
    const out = await step(dir, 'test', '--events', 'events.jsonl');
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/events\.jsonl:2: invalid event/);
    const notJson = tempTree({ 'events.jsonl': `${wire(built)}\n\n{oops\n` });
    const bad = await step(notJson, 'test', '--events', 'events.jsonl');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/events\.jsonl:3: not JSON/);
  });

  it('needs an event: an empty events file without --event is a usage error', async () => {
    const dir = tempTree({ 'events.jsonl': '' });
    const out = await step(dir, 'build', '--events', 'events.jsonl');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('events.jsonl holds no event: pass --event for the first step');
  });

  it('does nothing, exit 0, when the last event is for another step', async () => {
    const dir = tempTree({ 'events.jsonl': `${wire(buildRequested('r1'))}\n${wire(built)}\n` });
    const out = await step(dir, 'publish', '--events', 'events.jsonl');
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(
      'drydock step publish: events.jsonl:2 (Build Completed) is not for the publish step (it goes to test); nothing to do\n',
    );
    expect(readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(existsSync(join(dir, 'work'))).toBe(false);
  });

  it('does not publish an image whose tests failed: the rules send it to notify only', async () => {
    const dir = tempTree({ 'events.jsonl': `${wire(failedTest)}\n` });
    const out = await step(dir, 'publish', '--events', 'events.jsonl', '--format', 'json');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ step: 'publish', ran: false, published: [] });
    expect(JSON.parse(out.stdout).reason).toContain('(it goes to notify)');
  });

  it('exits 1 and appends nothing when the engine cannot reach the registry', async () => {
    const request = buildRequested('r1');
    const event = {
      ...request,
      detail: {
        ...request.detail,
        definition: 'Dockerfile',
        dockerfile: 'FROM 127.0.0.1:1/base/busybox:1\n',
      },
    } as DrydockEvent;
    const dir = tempTree({ 'request.json': wire(event), 'context/Dockerfile': 'FROM scratch\n' });
    const out = await step(
      dir,
      'build',
      '--event',
      'request.json',
      '--events',
      'events.jsonl',
      '--registry',
      '127.0.0.1:1',
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('drydock step build: could not run on request.json (Build Requested): ');
    expect(existsSync(join(dir, 'events.jsonl'))).toBe(false);
  }, 60_000);

  it('refuses a time limit that is not a whole number of seconds', async () => {
    const dir = tempTree({ 'request.json': wire(buildRequested('r1')) });
    const out = await step(
      dir,
      'build',
      '--event',
      'request.json',
      '--events',
      'e.jsonl',
      '--time-limit',
      '1e9',
    );
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--time-limit must be a whole number of seconds, not "1e9"');
  });

  // The project's environment sets the limit when no --time-limit is given: `30m` or `0` there must not become
  // NaN or 0 (no limit at all, or a build killed at once) but a usage error that names the variable.
  it.each([
    ['build', 'DRYDOCK_BUILD_TIMEOUT_SECONDS', '30m'],
    ['build', 'DRYDOCK_BUILD_TIMEOUT_SECONDS', '0'],
    ['build', 'DRYDOCK_BUILD_TIMEOUT_SECONDS', '-5'],
    ['build', 'DRYDOCK_BUILD_TIMEOUT_SECONDS', '1e9'],
    ['test', 'DRYDOCK_TEST_TIMEOUT_SECONDS', '10 min'],
    ['test', 'DRYDOCK_TEST_TIMEOUT_SECONDS', '0x10'],
  ])('refuses %s with %s=%j as a usage error naming the variable', async (name, variable, value) => {
    const dir = tempTree({ 'request.json': wire(buildRequested('r1')), 'events.jsonl': `${wire(built)}\n` });
    const input =
      name === 'build' ? ['--event', 'request.json', '--events', 'e.jsonl'] : ['--events', 'events.jsonl'];
    const out = await runCli(
      ['step', name, ...input, '--context', 'context', '--work', 'work', '--engine', 'docker'],
      {
        cwd: dir,
        env: { PATH: process.env.PATH, [variable]: value },
      },
    );
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(
      `${variable} must be a whole number of seconds, not ${JSON.stringify(value)}`,
    );
    expect(existsSync(join(dir, 'e.jsonl'))).toBe(false);
  });
});
