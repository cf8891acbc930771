import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetError, type PodmanFleet } from '../../../adapters/local/podman-fleet.js';
import { openFleet } from '../../fixtures/fleet.js';
import {
  type ContainerStorage,
  HELLO_APP,
  HELLO_BASE,
} from '../../fixtures/image-tests/container-storage.js';

let storage: ContainerStorage;
let fleet: PodmanFleet;

beforeAll(async () => {
  ({ storage, fleet } = await openFleet());
}, 120_000);

afterAll(async () => {
  await storage?.cleanup();
});

describe('PodmanFleet', () => {
  it('starts labelled containers on hosts and lists them by host then id, with both digests', async () => {
    const image = await fleet.image(HELLO_APP);
    const web = await fleet.start(HELLO_APP, { host: 'host-b', count: 2 });
    const base = await fleet.start(HELLO_BASE, { host: 'host-a', args: ['sleep', '3600'] });
    const running = await fleet.running();
    expect(running.map((c) => c.host)).toEqual(['host-a', 'host-b', 'host-b']);
    expect(running.slice(1).map((c) => c.id)).toEqual([...web].sort());
    expect(running[0]).toMatchObject({
      id: base[0],
      image: HELLO_BASE,
      name: expect.stringMatching(/^fleet-host-a-/),
    });
    expect(running[1]).toMatchObject({
      image: HELLO_APP,
      imageDigest: image.digest,
      configDigest: image.configDigest,
    });
    expect(image.configDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Date.parse(running[1]?.startedAt ?? '')).toBeGreaterThan(Date.now() - 120_000);
    // Other containers of the same storage are not the fleet's.
    await storage.tool('podman', ['run', '-d', '--name', 'not-fleet', HELLO_BASE, 'sleep', '3600']);
    expect((await fleet.running()).map((c) => c.name)).not.toContain('not-fleet');
  }, 60_000);

  it('runs an argv in a container (no shell) and records exit code, output tail and duration', async () => {
    const [container] = (await fleet.running()).filter((c) => c.host === 'host-a');
    if (!container) throw new Error('no container');
    const result = await fleet.exec(container, ['sh', '-c', 'echo out; echo err >&2; exit 3'], {
      timeoutMs: 10_000,
    });
    expect(result).toMatchObject({ exitCode: 3, timedOut: false });
    expect(result.outputTail.split('\n').sort()).toEqual(['err', 'out']);
    const literal = await fleet.exec(container, ['echo', '$(id); rm -rf /'], { timeoutMs: 10_000 });
    expect(literal).toMatchObject({ exitCode: 0, outputTail: '$(id); rm -rf /' });
  }, 30_000);

  it('keeps only the last 4 KiB of a long output', async () => {
    const [container] = (await fleet.running()).filter((c) => c.host === 'host-a');
    if (!container) throw new Error('no container');
    const result = await fleet.exec(
      container,
      ['sh', '-c', 'i=0; while [ $i -lt 2000 ]; do echo line$i; i=$((i+1)); done'],
      {
        timeoutMs: 10_000,
      },
    );
    expect(Buffer.byteLength(result.outputTail)).toBeLessThanOrEqual(4096);
    expect(result.outputTail.endsWith('line1999')).toBe(true);
  }, 30_000);

  it('ends a command that hangs at its time limit, in the container too', async () => {
    const [container] = (await fleet.running()).filter((c) => c.host === 'host-a');
    if (!container) throw new Error('no container');
    const result = await fleet.exec(container, ['sh', '-c', 'echo started; sleep 600'], { timeoutMs: 1_000 });
    expect(result).toMatchObject({ exitCode: null, timedOut: true, outputTail: 'started' });
    expect(result.durationMs).toBeGreaterThanOrEqual(1_000);
    expect(result.durationMs).toBeLessThan(5_000);
    const ps = await fleet.exec(container, ['ps', '-o', 'args'], { timeoutMs: 10_000 });
    expect(ps).toMatchObject({ exitCode: 0, outputTail: expect.stringContaining('sleep 3600') });
    expect(ps.outputTail).not.toContain('sleep 600\n');
    expect(ps.outputTail.split('\n')).not.toContain('sh -c echo started; sleep 600');
  }, 30_000);

  it('ends, at start-up, the band-aid processes a dead pipeline left, and no process of the workload', async () => {
    const [container] = (await fleet.running()).filter((c) => c.host === 'host-a');
    if (!container) throw new Error('no container');
    // What a SIGKILLed pipeline leaves: a band-aid exec'd with its marker, no time limit to end it.
    await storage.tool('podman', [
      'exec',
      '--detach',
      '--env',
      'DRYDOCK_EXEC=0123456789abcdef01234567',
      container.id,
      'sleep',
      '602',
    ]);
    // A workload whose own environment names the variable (an image may set it): not a band-aid of ours.
    const [named] = await fleet.start(HELLO_BASE, {
      host: 'host-c',
      args: ['env', 'DRYDOCK_EXEC=aaaaaaaaaaaaaaaaaaaaaaaa', 'sh', '-c', 'sleep 3601 & wait'],
    });
    const psOf = async (id: string) => storage.tool('podman', ['exec', id, 'ps', '-o', 'args']);
    await expect.poll(() => psOf(container.id)).toContain('sleep 602');
    await expect.poll(() => psOf(named ?? '')).toContain('sleep 3601');

    expect(await fleet.endLeftoverBandAids()).toBe(1);
    await expect.poll(() => psOf(container.id)).not.toContain('sleep 602');
    expect(await psOf(container.id)).toContain('sleep 3600');
    expect(await psOf(named ?? '')).toContain('sleep 3601');
    expect((await fleet.running()).map((c) => c.id)).toContain(named);
    await fleet.stop(named ?? '');
  }, 60_000);

  it('refuses a bad host name, a count out of range and an image that reads as an option', async () => {
    await expect(fleet.start(HELLO_APP, { host: 'Bad Host' })).rejects.toThrow(
      /host "Bad Host" is not a valid name/,
    );
    await expect(fleet.start(HELLO_APP, { host: 'h', count: 0 })).rejects.toThrow(/count 0/);
    await expect(fleet.start('--privileged', { host: 'h' })).rejects.toThrow(FleetError);
  });

  it('stops one container by id prefix or name, or every container of a host', async () => {
    const before = await fleet.running();
    const one = before.find((c) => c.host === 'host-b');
    if (!one) throw new Error('no container');
    expect(await fleet.stop(one.id.slice(0, 12))).toEqual([one.id]);
    await expect(fleet.stop('nothing-like-it')).rejects.toThrow(/no fleet container nothing-like-it/);
    await expect(fleet.stop('not-fleet')).rejects.toThrow(/no fleet container not-fleet/);
    expect(await fleet.stop({ host: 'host-a' })).toHaveLength(1);
    expect((await fleet.running()).map((c) => c.host)).toEqual(['host-b']);
  }, 60_000);
});
