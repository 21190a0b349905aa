/**
 * For each owner id in 0..count-1, a list of ids, packed into two typed arrays. Built once per loaded
 * config and read on every event: a config of 10,000 pipelines would otherwise hold 10,000 small arrays,
 * each a few heap objects to chase on a lookup and to copy when the garbage collector promotes them.
 */
export class IdLists {
  /** The lists end to end, and where each owner's list starts (owner count + 1 entries). */
  readonly #ids: Int32Array;
  readonly #starts: Int32Array;

  /** The lists of `owners[k] → ids[k]` pairs, each list in pair order. */
  constructor(count: number, owners: readonly number[], ids: readonly number[]) {
    this.#starts = new Int32Array(count + 1);
    for (const owner of owners) this.#starts[owner + 1]!++;
    for (let owner = 0; owner < count; owner++) this.#starts[owner + 1]! += this.#starts[owner]!;
    const filled = this.#starts.slice(0, count);
    this.#ids = new Int32Array(ids.length);
    owners.forEach((owner, pair) => {
      this.#ids[filled[owner]!++] = ids[pair]!;
    });
  }

  /** Where the owner's list starts and ends: its ids are at(start) … at(end - 1). */
  start(owner: number): number {
    return this.#starts[owner]!;
  }

  end(owner: number): number {
    return this.#starts[owner + 1]!;
  }

  at(position: number): number {
    return this.#ids[position]!;
  }
}
