import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PodmanFleet } from '../../../adapters/local/podman-fleet.js';
import { openFleet } from '../../fixtures/fleet.js';
import { type ContainerStorage, HELLO_BASE } from '../../fixtures/image-tests/container-storage.js';

let storage: ContainerStorage;
let fleet: PodmanFleet;

beforeAll(async () => {
  ({ storage, fleet } = await openFleet());
}, 120_000);

afterAll(async () => {
  await storage?.cleanup();
});

// A compromised container fills its PID namespace with processes whose environments are as large as exec allows
// (16 variables of 120 KB each: about 2 MB apiece), then makes the band-aid hang so that it is ended.
const HOARD = [
  'v=$(head -c 120000 /dev/zero | tr "\\0" x)',
  'i=0',
  'while [ $i -lt 250 ]; do',
  '  env A=$v B=$v C=$v D=$v E=$v F=$v G=$v H=$v I=$v J=$v K=$v L=$v M=$v N=$v O=$v P=$v sleep 3600 &',
  '  i=$((i+1))',
  'done',
  'touch /tmp/ready',
  'wait',
].join('\n');

describe('PodmanFleet band-aid time limit under attack', () => {
  it("ends a hung band-aid without stalling the pipeline's event loop on the container's process environments", async () => {
    const [id] = await fleet.start(HELLO_BASE, { host: 'host-z', args: ['sh', '-c', HOARD] });
    const container = (await fleet.running()).find((c) => c.id === id);
    if (!container) throw new Error('no container');
    for (let i = 0; i < 120; i++) {
      const ready = await fleet.exec(container, ['test', '-e', '/tmp/ready'], { timeoutMs: 5_000 });
      if (ready.exitCode === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    let last = Date.now();
    let worst = 0;
    const tick = setInterval(() => {
      const now = Date.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 10);
    try {
      const result = await fleet.exec(container, ['sleep', '600'], { timeoutMs: 1_000 });
      expect(result).toMatchObject({ exitCode: null, timedOut: true });
    } finally {
      clearInterval(tick);
    }
    // Every other worker and the API share this loop: the kill must not hold it for the hoard's ~500 MB.
    expect(worst).toBeLessThan(500);
    // And the band-aid itself was still ended inside the container.
    const left = await fleet.exec(container, ['sh', '-c', 'ps -o args | grep -c "^sleep 600$"'], {
      timeoutMs: 10_000,
    });
    expect(left.outputTail).toBe('0');
  }, 120_000);

  it('ends a band-aid that floods its output instead of spending a core of the pipeline on it until its time limit', async () => {
    const [id] = await fleet.start(HELLO_BASE, { host: 'host-y', args: ['sleep', '3600'] });
    const container = (await fleet.running()).find((c) => c.id === id);
    if (!container) throw new Error('no container');
    const cpu = process.cpuUsage();
    // `yes` stands for a compromised binary the band-aid runs: it prints as fast as the pipe takes it.
    const result = await fleet.exec(container, ['yes'], { timeoutMs: 20_000 });
    const spent = process.cpuUsage(cpu);
    expect(result).toMatchObject({
      exitCode: null,
      timedOut: false,
      reason: expect.stringMatching(/more than 1 MiB/),
    });
    expect(result.durationMs).toBeLessThan(10_000);
    expect((spent.user + spent.system) / 1000).toBeLessThan(3_000);
    expect(Buffer.byteLength(result.outputTail)).toBeLessThanOrEqual(4096);
    const left = await fleet.exec(container, ['sh', '-c', 'ps -o args | grep -c "^yes$"'], {
      timeoutMs: 10_000,
    });
    expect(left.outputTail).toBe('0');
  }, 60_000);
});
