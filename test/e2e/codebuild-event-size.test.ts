// Attack on the CodeBuild events file: a team's RUN prints long lines (each up to the 64 KiB a log line may be)
// as its last output, so the build step's log tail (20 lines) makes an event far past what EventBridge carries
// (256 KiB). Written to the events file, it would be relayed by the build-state function to PutEvents, refused
// there every time, and the build's outcome would end in a dead-letter queue, the team never told; on Docker, whose
// output after a successful RUN is a handful of lines, a Build Completed that size would still let test and publish
// push the image while its Image Published could never be relayed (an image in the registry with no lineage, which
// a ban of its base would never find). The events file refuses an event EventBridge cannot carry: the step exits 1,
// the buildspec's phase stops, and the relay reports the build failed from CodeBuild's facts. Real podman, a real
// docker-registry, real files.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUT_EVENTS_MAX_BYTES } from '../../adapters/aws/eventbridge-event-bus.js';
import { seedBusyboxBases } from '../../adapters/local/busybox-base-seeder.js';
import { ContainerCli } from '../../adapters/local/container-cli.js';
import { ContainerCliBuildService } from '../../adapters/local/container-cli-build-service.js';
import { ContainerCliImageRegistry } from '../../adapters/local/container-cli-image-registry.js';
import { type ContainerEnv, prepareContainerEnv } from '../../adapters/local/container-env.js';
import {
  type RunningDockerRegistry,
  startDockerRegistry,
} from '../../adapters/local/docker-registry-process.js';
import { type DrydockEvent, toEventBridge } from '../../core/events/index.js';
import { runCli } from '../helpers/cli.js';

const run = promisify(execFile);
let root: string;
let registryProcess: RunningDockerRegistry;
let containerEnv: ContainerEnv;
let host: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'drydock-event-size-'));
  registryProcess = await startDockerRegistry({ stateDir: root, listen: 'tcp' });
  const address = registryProcess.address;
  if (address.kind !== 'tcp') throw new Error('expected a TCP registry');
  host = `${address.host}:${address.port}`;
  containerEnv = await prepareContainerEnv(root, { insecureRegistries: [host] });
  env = { ...process.env, ...containerEnv.env };
  const cli = new ContainerCli({ engine: 'podman', env: containerEnv.env });
  const registry = new ContainerCliImageRegistry({ cli, host });
  await seedBusyboxBases({
    builder: new ContainerCliBuildService({ engine: 'podman', env: containerEnv.env }),
    registryHost: host,
    versions: ['1.36.0'],
    push: (ref) => registry.push(ref, { repository: 'base/busybox', tag: '1.36.0' }),
  });
}, 180_000);

afterAll(async () => {
  const podman = (...args: string[]) => run('podman', args, { env, timeout: 60_000 });
  await podman('rm', '--all', '--force', '--time', '0').catch(() => undefined);
  await podman('rmi', '--all', '--force').catch(() => undefined);
  await registryProcess?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('drydock step build: a team cannot make an outcome the relay cannot carry', () => {
  it('a failing RUN whose tail is megabytes long still ends in a Build Failed the relay carries, with the end of the log', async () => {
    const dir = join(root, 'build');
    const context = join(dir, '.drydock', 'context');
    mkdirSync(context, { recursive: true });
    // 12 lines of 60 000 characters, then the failure: the tail kept for Build Failed is ~700 KB.
    const dockerfile =
      `FROM ${host}/base/busybox:1.36.0\n` +
      `RUN for i in $(seq 1 12); do head -c 60000 /dev/zero | tr '\\0' x; echo; done; exit 3\n`;
    writeFileSync(join(context, 'Dockerfile'), dockerfile);
    const commit = createHash('sha1').update('event-size').digest('hex');
    const request = {
      id: 'request-size',
      source: 'drydock',
      detailType: 'Build Requested',
      time: '2026-12-08T00:00:00.000Z',
      detail: {
        buildId: 'build-size-1',
        repository: 'shop',
        commit,
        definition: 'hello/Dockerfile',
        correlationId: 'push-size',
        dockerfile,
        substitutions: [],
      },
    } as DrydockEvent;
    writeFileSync(join(dir, '.drydock', 'request.json'), JSON.stringify(toEventBridge(request)));

    const built = await runCli(
      [
        'step',
        'build',
        ...['--event', '.drydock/request.json', '--events', '.drydock/events.jsonl'],
        ...['--context', '.drydock/context', '--work', '.drydock', '--engine', 'podman', '--registry', host],
      ],
      { cwd: dir, env },
    );
    // The tail is capped (core/pipeline/event-caps.ts), so the team gets its Build Failed; the events file would
    // refuse anything over an EventBridge entry (adapters/local/jsonl-event-bus.ts) rather than write it.
    expect(built.code, built.stderr).toBe(0);
    const lines = readFileSync(join(dir, '.drydock', 'events.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines[0]!)).toBeLessThan(PUT_EVENTS_MAX_BYTES / 4);
    const failed = JSON.parse(lines[0]!) as {
      'detail-type': string;
      detail: { stage: string; logTail: string };
    };
    expect(failed['detail-type']).toBe('Build Failed');
    expect(failed.detail.stage).toBe('build');
    expect(failed.detail.logTail).toMatch(/x{100}/);
  }, 300_000);
});
