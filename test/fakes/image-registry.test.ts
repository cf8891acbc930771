import { describe, expect, it } from 'vitest';
import { imageRegistryContract } from '../contracts/image-registry.contract.js';
import { FakeImageRegistry } from './image-registry.js';
import { FakeImageStore } from './image-store.js';

// The fake behaves like BuildahImageRegistry, or the step tests on it prove nothing.
imageRegistryContract('FakeImageRegistry', async () => {
  const store = new FakeImageStore();
  const labels = { 'org.opencontainers.image.title': 'contract' };
  store.add('localhost/contract:1', {
    imageId: `sha256:${'c'.repeat(64)}`,
    labels,
    created: '2025-03-14T09:00:00Z',
  });
  return {
    registry: new FakeImageRegistry({ store }),
    localImage: 'localhost/contract:1',
    labels,
    dispose: async () => undefined,
  };
});

describe('FakeImageRegistry', () => {
  it('gives the same image the same manifest digest in any repository, and a seeded base its own', async () => {
    const store = new FakeImageStore();
    store.add('localhost/app:1', {
      imageId: `sha256:${'a'.repeat(64)}`,
      labels: {},
      created: '2025-03-14T09:00:00Z',
    });
    const registry = new FakeImageRegistry({ store, host: 'registry.test:5000' });
    const one = await registry.push('localhost/app:1', { repository: 'apps/one', tag: '1' });
    const two = await registry.push('localhost/app:1', { repository: 'apps/two', tag: '1' });
    expect(two.digest).toBe(one.digest);
    const base = registry.seed('base/busybox', '1.36.0');
    expect(base.digest).not.toBe(one.digest);
    expect(await registry.inspect(`registry.test:5000/base/busybox:1.36.0@${base.digest}`)).toMatchObject({
      digest: base.digest,
    });
    // A digest is found only in the repository it was pushed to.
    expect(await registry.inspect(`apps/one@${base.digest}`)).toBeUndefined();
  });
});
