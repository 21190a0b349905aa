import picomatch from "picomatch";

/** Directory names the index trusts to be matched literally by picomatch (no glob, escape or `./` syntax). */
const PLAIN_BASE = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/**
 * The literal directory (or file) every match of `pattern` is, or lies under: `services/api/**` → `services/api`,
 * `package.json` → `package.json`. Undefined when the pattern can match outside any literal prefix (`*.ts`,
 * `{a,b}/**`, any pattern that starts with `**`), when it is negated (`!docs/**` matches everything but docs), or when its prefix uses
 * syntax picomatch rewrites (`./src/**` also matches `src/x`); such patterns are tested against every file.
 */
export function literalBase(pattern: string): string | undefined {
  if (pattern.startsWith("!")) return undefined;
  const scanned = picomatch.scan(pattern);
  if (scanned.negated || scanned.prefix !== "") return undefined;
  const base = scanned.base;
  if (!PLAIN_BASE.test(base)) return undefined;
  if (base.split("/").some((segment) => segment === "." || segment === "..")) return undefined;
  return base;
}

/**
 * The lookup keys of a changed file: each of its ancestor directories and the file itself
 * (`a/b/c.ts` → `a`, `a/b`, `a/b/c.ts`). A pattern whose literal base is one of them may match the file;
 * no other anchored pattern can, since picomatch matches that base literally and then `/` or the end.
 */
export function lookupKeys(file: string): string[] {
  const keys: string[] = [];
  for (let slash = file.indexOf("/"); slash !== -1; slash = file.indexOf("/", slash + 1)) keys.push(file.slice(0, slash));
  keys.push(file);
  return keys;
}

const UNSEEN = 0;
const ANCHORED = 1;
const UNANCHORED = 2;

/**
 * Path globs indexed by their literal base, so a changed file is tested only against the patterns that
 * could match it: work grows with files × depth, not pipelines × files. Patterns without a usable base are
 * kept apart (`unanchored`) for the caller to test against every file.
 */
export class PathPatternIndex {
  readonly #byBase = new Map<string, number[]>();
  readonly #anchored: number[] = [];
  /** Per pattern id: UNSEEN, ANCHORED or UNANCHORED (a packed array, written in id order). */
  readonly #kind: number[] = [];
  readonly #unanchored: number[] = [];
  /** Whether some base has this many segments: a file looks up only its ancestors of such depths. */
  readonly #baseDepths: boolean[] = [];

  /** Adds a pattern once, under the id the caller gives it, with its literal base (see literalBase). */
  add(patternId: number, base: string | undefined): void {
    while (this.#kind.length <= patternId) this.#kind.push(UNSEEN);
    if (this.#kind[patternId] !== UNSEEN) return;
    this.#kind[patternId] = base === undefined ? UNANCHORED : ANCHORED;
    if (base === undefined) {
      this.#unanchored.push(patternId);
      return;
    }
    this.#anchored.push(patternId);
    const depth = base.split("/").length;
    while (this.#baseDepths.length <= depth) this.#baseDepths.push(false);
    this.#baseDepths[depth] = true;
    const sameBase = this.#byBase.get(base);
    if (sameBase) sameBase.push(patternId);
    else this.#byBase.set(base, [patternId]);
  }

  isAnchored(patternId: number): boolean {
    return this.#kind[patternId] === ANCHORED;
  }

  get anchoredPatternIds(): readonly number[] {
    return this.#anchored;
  }

  get unanchoredPatternIds(): readonly number[] {
    return this.#unanchored;
  }

  /**
   * Appends to `out` each anchored pattern whose base is one of the file's lookupKeys, once. A file
   * picomatch would rewrite before matching (backslashes become `/` on Windows) gets every anchored pattern.
   */
  collectCandidates(file: string, out: number[]): void {
    if (file.includes("\\")) {
      for (const patternId of this.#anchored) out.push(patternId);
      return;
    }
    // The keys of lookupKeys, sliced only at the depths where some base lives.
    const deepest = this.#baseDepths.length - 1;
    let keyStart = 0;
    for (let depth = 1; depth <= deepest; depth++) {
      const slash = file.indexOf("/", keyStart);
      if (this.#baseDepths[depth] === true) {
        const patternIds = this.#byBase.get(slash === -1 ? file : file.slice(0, slash));
        if (patternIds) for (const patternId of patternIds) out.push(patternId);
      }
      if (slash === -1) return;
      keyStart = slash + 1;
    }
  }
}
