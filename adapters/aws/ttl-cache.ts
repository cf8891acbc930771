import { type Clock, systemClock } from '../../core/ports/clock.js';

/**
 * One value loaded on first use and kept for `ttlMs`; callers that arrive while a load runs share it, and a
 * failed load is not kept, so the next call tries again.
 */
export class TtlCache<T> {
  private value: { readonly data: T; readonly until: number } | undefined;
  private loading: Promise<T> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly clock: Clock = systemClock,
  ) {}

  async get(): Promise<T> {
    const now = this.clock.now().getTime();
    if (this.value && now < this.value.until) return this.value.data;
    if (!this.loading) {
      this.loading = this.load().then(
        (data) => {
          this.value = { data, until: this.clock.now().getTime() + this.ttlMs };
          this.loading = undefined;
          return data;
        },
        (err: unknown) => {
          this.loading = undefined;
          throw err;
        },
      );
    }
    return this.loading;
  }

  /** Forgets the value, so that the next `get` loads it again. */
  clear(): void {
    this.value = undefined;
  }
}
