/**
 * The anchored path globs of a config grouped by literal base, found by the hash of a prefix of a path
 * without slicing it: the caller hashes the prefix one character at a time (see extendPrefixHash), so each
 * ancestor directory of a changed file costs one probe and no allocation.
 *
 * A lookup answers by hash alone: the globs of every base whose text hashes like the prefix (almost always
 * the one base equal to it, or none), and the caller confirms the base (GlobRegistry.patternMatches does).
 * So a probe reads one slot of one typed array and, on a hit, the glob ids: the table of a big config does
 * not stay in cache between events, and every read that chases a pointer to a key or a list is a miss.
 */
export class BasePatternTable {
  /**
   * Open addressing with linear probing, two int32 per slot side by side: a base's hash, and the first
   * glob id with that base (NO_PATTERN: a free slot). The others follow through #nextWithSameBase.
   */
  #slots = emptySlots(16);
  /** Per glob id: the next glob id with the same base, or NO_PATTERN. */
  readonly #nextWithSameBase: number[] = [];
  /** Per base: its last glob so far, to extend its chain (used while the table is built). */
  readonly #lastOfBase = new Map<string, number>();
  /** The first glob and the hash of each base, to place them again when the table grows. */
  readonly #firstPatterns: number[] = [];
  readonly #baseHashes: number[] = [];

  /** Adds a glob id (each once) under its literal base. */
  add(base: string, patternId: number): void {
    while (this.#nextWithSameBase.length <= patternId) this.#nextWithSameBase.push(NO_PATTERN);
    const last = this.#lastOfBase.get(base);
    this.#lastOfBase.set(base, patternId);
    if (last !== undefined) {
      this.#nextWithSameBase[last] = patternId;
      return;
    }
    const hash = prefixHash(base, base.length);
    this.#firstPatterns.push(patternId);
    this.#baseHashes.push(hash);
    const slotCount = this.#slots.length / SLOT_SIZE;
    // At most three quarters full: a probe that misses still stops within a cache line or two.
    if (this.#firstPatterns.length * 4 > slotCount * 3) this.#grow(slotCount * 2);
    else this.#place(patternId, hash);
  }

  /** Appends to `out` the globs of every base whose hash is `hash` (see the class comment). */
  collectPatterns(hash: number, out: number[]): void {
    const slots = this.#slots;
    const mask = slots.length / SLOT_SIZE - 1;
    for (let slot = hash & mask; slots[slot * SLOT_SIZE + FIRST_PATTERN]! !== NO_PATTERN; slot = (slot + 1) & mask) {
      if (slots[slot * SLOT_SIZE]! !== hash) continue;
      for (let patternId = slots[slot * SLOT_SIZE + FIRST_PATTERN]!; patternId !== NO_PATTERN; patternId = this.#nextWithSameBase[patternId]!) {
        out.push(patternId);
      }
    }
  }

  #grow(slotCount: number): void {
    this.#slots = emptySlots(slotCount);
    this.#firstPatterns.forEach((patternId, base) => this.#place(patternId, this.#baseHashes[base]!));
  }

  #place(firstPattern: number, hash: number): void {
    const mask = this.#slots.length / SLOT_SIZE - 1;
    let slot = hash & mask;
    while (this.#slots[slot * SLOT_SIZE + FIRST_PATTERN] !== NO_PATTERN) slot = (slot + 1) & mask;
    this.#slots[slot * SLOT_SIZE] = hash;
    this.#slots[slot * SLOT_SIZE + FIRST_PATTERN] = firstPattern;
  }
}

const SLOT_SIZE = 2;
const FIRST_PATTERN = 1;
const NO_PATTERN = -1;

function emptySlots(slotCount: number): Int32Array {
  const slots = new Int32Array(slotCount * SLOT_SIZE);
  for (let slot = 0; slot < slotCount; slot++) slots[slot * SLOT_SIZE + FIRST_PATTERN] = NO_PATTERN;
  return slots;
}

/** The hash of the empty prefix (FNV-1a's offset basis). */
export const EMPTY_PREFIX_HASH = 0x811c9dc5 | 0;

/** The hash of a prefix one character longer (FNV-1a over UTF-16 code units). */
export function extendPrefixHash(hash: number, charCode: number): number {
  return Math.imul(hash ^ charCode, 0x01000193);
}

export function prefixHash(text: string, length: number): number {
  let hash = EMPTY_PREFIX_HASH;
  for (let position = 0; position < length; position++) hash = extendPrefixHash(hash, text.charCodeAt(position));
  return hash;
}
