import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ImageNotFoundError,
  type ImageRegistry,
  InvalidImageTargetError,
} from '../../core/ports/image-registry.js';

/** What a contract run needs: a registry, a local image it can push that carries `labels`, and a cleanup. */
export interface ImageRegistryFixture {
  readonly registry: ImageRegistry;
  /** A local image (name the adapter's push understands) whose configuration carries `labels`. */
  readonly localImage: string;
  readonly labels: Readonly<Record<string, string>>;
  dispose(): Promise<void>;
}

/** The behaviour every ImageRegistry adapter shares; run it with a factory for a fresh, empty registry. */
export function imageRegistryContract(name: string, factory: () => Promise<ImageRegistryFixture>): void {
  describe(`ImageRegistry contract: ${name}`, () => {
    let fixture: ImageRegistryFixture;
    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await fixture?.dispose();
    });

    it('starts without repositories', async () => {
      expect(await fixture.registry.repositories()).toEqual([]);
    });

    it('pushes an image and returns its reference and manifest digest', async () => {
      const pushed = await fixture.registry.push(fixture.localImage, {
        repository: 'contract/app',
        tag: '1',
      });
      expect(pushed.ref).toBe(`${fixture.registry.host}/contract/app:1`);
      expect(pushed.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    });

    it('inspects a pushed image by tag, by digest and by qualified reference', async () => {
      const pushed = await fixture.registry.push(fixture.localImage, {
        repository: 'contract/app',
        tag: '2',
      });
      const byTag = await fixture.registry.inspect('contract/app:2');
      expect(byTag?.digest).toBe(pushed.digest);
      expect(byTag?.configDigest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(byTag?.labels).toMatchObject(fixture.labels);
      expect(byTag?.created).toBeTypeOf('string');
      expect(await fixture.registry.inspect(`contract/app@${pushed.digest}`)).toEqual(byTag);
      expect(await fixture.registry.inspect(`${pushed.ref}@${pushed.digest}`)).toEqual(byTag);
    });

    it('lists tags and repositories, sorted', async () => {
      await fixture.registry.push(fixture.localImage, { repository: 'contract/base', tag: '1.0' });
      expect(await fixture.registry.tags('contract/app')).toEqual(['1', '2']);
      expect(await fixture.registry.repositories()).toEqual(['contract/app', 'contract/base']);
    });

    it('answers undefined and empty lists for what does not exist', async () => {
      expect(await fixture.registry.inspect('contract/app:nope')).toBeUndefined();
      expect(await fixture.registry.inspect('contract/none:1')).toBeUndefined();
      expect(await fixture.registry.tags('contract/none')).toEqual([]);
    });

    it('fails a push of a missing local image with ImageNotFoundError', async () => {
      await expect(
        fixture.registry.push('localhost/drydock-contract-missing:1', { repository: 'contract/x', tag: '1' }),
      ).rejects.toBeInstanceOf(ImageNotFoundError);
    });

    it('refuses invalid targets and references before touching the registry', async () => {
      await expect(
        fixture.registry.push(fixture.localImage, { repository: 'Upper/Case', tag: '1' }),
      ).rejects.toBeInstanceOf(InvalidImageTargetError);
      await expect(
        fixture.registry.push(fixture.localImage, { repository: 'ok', tag: '-bad' }),
      ).rejects.toBeInstanceOf(InvalidImageTargetError);
      await expect(fixture.registry.inspect('elsewhere.example:5000/x/y:1')).rejects.toBeInstanceOf(
        InvalidImageTargetError,
      );
    });
  });
}
