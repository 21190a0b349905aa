import picomatch from "picomatch";
import { BasePatternTable, EMPTY_PREFIX_HASH, extendPrefixHash } from "./base-pattern-table.js";

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
  if (!PLAIN_BASE.test(scanned.base)) return undefined;
  const segments = scanned.base.split("/");
  if (segments.some((segment) => segment === "." || segment === "..")) return undefined;
  // Joined again rather than picomatch's slice of the pattern: a string of its own is one memory read
  // fewer each time a changed file is compared with it.
  return segments.join("/");
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

const SLASH = "/".charCodeAt(0);
const UNSEEN = 0;
const ANCHORED = 1;
const UNANCHORED = 2;

/**
 * Path globs indexed by their literal base, so a changed file is tested only against the patterns that
 * could match it: work grows with files × depth, not pipelines × files. Patterns without a usable base are
 * kept apart (`unanchored`) for the caller to test against every file.
 */
export class PathPatternIndex {
  readonly #byBase = new BasePatternTable();
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
    this.#byBase.add(base, patternId);
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
   * The candidates of each file as pairs, in file order: `patternIds[k]` may match `files[fileIndexes[k]]`.
   * A file's candidates are the anchored patterns whose base is one of its lookupKeys, each once, and
   * rarely one whose base only hashes alike (see BasePatternTable: the caller's match test rules it out).
   * A file picomatch would rewrite before matching (backslashes become `/` on Windows) gets every anchored
   * pattern.
   */
  collectCandidatePairs(files: readonly string[], patternIds: number[], fileIndexes: number[]): void {
    for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
      const file = files[fileIndex]!;
      const before = patternIds.length;
      if (file.includes("\\")) for (const patternId of this.#anchored) patternIds.push(patternId);
      else this.#collectByKeyHashes(file, patternIds);
      for (let added = before; added < patternIds.length; added++) fileIndexes.push(fileIndex);
    }
  }

  /** The patterns of the file's lookup keys: only at depths where some base lives, each key hashed as the scan goes. */
  #collectByKeyHashes(file: string, out: number[]): void {
    const deepest = this.#baseDepths.length - 1;
    let hash = EMPTY_PREFIX_HASH;
    let depth = 1;
    for (let position = 0; depth <= deepest; position++) {
      const atEnd = position === file.length;
      const charCode = atEnd ? SLASH : file.charCodeAt(position);
      if (charCode === SLASH) {
        if (this.#baseDepths[depth] === true) this.#byBase.collectPatterns(hash, out);
        if (atEnd) return;
        depth++;
      }
      hash = extendPrefixHash(hash, charCode);
    }
  }
}
