import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_LABELS, type PodmanFleet } from '../../../adapters/local/podman-fleet.js';
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

describe('PodmanFleet under attack', () => {
  it("names a relabelled container's image by podman's image ID, not by the digest label its owner set", async () => {
    const app = await fleet.image(HELLO_APP);
    const base = await fleet.image(HELLO_BASE);
    expect(app.digest).toBeDefined();
    // Whoever starts a container sets its labels: this one runs the base but claims to run the app.
    const forged = (
      await storage.tool('podman', [
        'run',
        '--detach',
        '--label',
        `${FLEET_LABELS.fleet}=1`,
        '--label',
        `${FLEET_LABELS.host}=host-x`,
        '--label',
        `${FLEET_LABELS.imageDigest}=${app.digest}`,
        HELLO_BASE,
        'sleep',
        '3600',
      ])
    ).trim();
    const honest = await fleet.start(HELLO_APP, { host: 'host-y' });
    const running = await fleet.running();
    const liar = running.find((c) => c.id === forged);
    expect(liar).toMatchObject({ configDigest: base.configDigest });
    expect(liar?.imageDigest).not.toBe(app.digest);
    expect(base.digests).toContain(liar?.imageDigest);
    // An honest container keeps the manifest digest it was started with.
    expect(running.find((c) => c.id === honest[0])).toMatchObject({
      imageDigest: app.digest,
      configDigest: app.configDigest,
    });
  }, 60_000);
});
