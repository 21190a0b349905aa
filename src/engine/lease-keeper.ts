/**
 * Keeps a lease alive while its work runs: renews it every third of its length. When a renewal finds the lease
 * taken over (this worker was too slow, or the store was unreachable past the expiry), `lost` turns true and
 * the signal aborts, so the work stops early; its fenced writes would fail anyway.
 */
export class LeaseKeeper {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  #lost = false;

  constructor(
    leaseMs: number,
    clock: () => number,
    renew: (until: number) => Promise<boolean>,
    onError: (error: unknown) => void,
  ) {
    this.#timer = setInterval(() => {
      renew(clock() + leaseMs)
        .then((kept) => {
          if (!kept) this.#lose();
        })
        .catch(onError);
    }, Math.max(1000, Math.floor(leaseMs / 3)));
    this.#timer.unref();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get lost(): boolean {
    return this.#lost;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #lose(): void {
    this.#lost = true;
    this.stop();
    this.#controller.abort(new Error("lease lost"));
  }
}
