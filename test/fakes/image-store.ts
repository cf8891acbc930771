import type { LocalImages } from '../../core/steps/index.js';

/** An image in the builder's local store. */
export interface LocalImage {
  /** The config digest (`sha256:…`), the image id. */
  readonly imageId: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly created: string;
}

/**
 * The builder's local image store, shared by the fake builder (which adds what it builds), the fake registry (which
 * pushes from it), the fake tester (which refuses an image it does not have) and the fake local images (discards).
 */
export class FakeImageStore {
  readonly #byTag = new Map<string, LocalImage>();

  add(tag: string, image: LocalImage): void {
    this.#byTag.set(tag, image);
  }

  /** The image of a local tag or an image id (`sha256:<hex>` or the bare hex), as buildah and podman resolve them. */
  get(ref: string): LocalImage | undefined {
    const byTag = this.#byTag.get(ref);
    if (byTag) return byTag;
    const id = ref.startsWith('sha256:') ? ref : `sha256:${ref}`;
    return [...this.#byTag.values()].find((i) => i.imageId === id);
  }

  /** Removes a tag; true when it was there. */
  remove(tag: string): boolean {
    return this.#byTag.delete(tag);
  }

  tags(): string[] {
    return [...this.#byTag.keys()].sort();
  }
}

/** Local images that records each discard and drops the tag from the store; `failNext` makes the next one throw. */
export class FakeLocalImages implements LocalImages {
  readonly discarded: string[] = [];
  readonly #store: FakeImageStore;
  #failure: Error | undefined;

  constructor(store: FakeImageStore) {
    this.#store = store;
  }

  async discard(localImage: string): Promise<void> {
    this.discarded.push(localImage);
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure;
    this.#store.remove(localImage);
  }

  failNext(error: Error): void {
    this.#failure = error;
  }
}
