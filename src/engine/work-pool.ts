/**
 * A bounded pool of in-flight work with per-key caps (fairness): an installation or a connection can hold
 * at most its cap of the pool's slots, so one busy or stuck key never takes every worker.
 */
export class WorkPool {
  readonly #inFlight = new Map<string, number>();
  readonly #running = new Set<Promise<void>>();

  constructor(
    readonly capacity: number,
    private readonly capOf: (key: string) => number,
  ) {}

  get free(): number {
    return Math.max(0, this.capacity - this.#running.size);
  }

  get size(): number {
    return this.#running.size;
  }

  /** Keys that may not take more work now (sent to the store so their rows are not claimed). */
  saturatedKeys(): string[] {
    return [...this.#inFlight].filter(([key, count]) => count >= this.capOf(key)).map(([key]) => key);
  }

  hasRoomFor(key: string): boolean {
    return (this.#inFlight.get(key) ?? 0) < this.capOf(key);
  }

  /** Runs `work` in the pool; `done` is called after it settled (it never throws into the pool). */
  start(key: string, work: () => Promise<void>, done: () => void): void {
    this.#inFlight.set(key, (this.#inFlight.get(key) ?? 0) + 1);
    const task = (async () => {
      try {
        await work();
      } finally {
        const left = (this.#inFlight.get(key) ?? 1) - 1;
        if (left <= 0) this.#inFlight.delete(key);
        else this.#inFlight.set(key, left);
      }
    })()
      .catch(() => undefined)
      .finally(() => {
        this.#running.delete(task);
        done();
      });
    this.#running.add(task);
  }

  /** Resolves when everything in flight settled, or after `timeoutMs` (false then). */
  async settled(timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const all = Promise.allSettled([...this.#running]).then(() => true);
    if (!Number.isFinite(timeoutMs)) return all;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
