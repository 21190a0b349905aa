import type { GlobRegistry } from "./glob-patterns.js";
import type { PathPatternIndex } from "./path-pattern-index.js";

/** A rule's path filters: pattern-set ids of `paths` and `paths_ignore` (at least one is set). */
export interface PathFilter {
  paths?: number;
  pathsIgnore?: number;
  /** Every `paths` glob has a literal base: the filter fails unless the index walk matched one of them. */
  anchoredOnly: boolean;
}

/** The distinct path filters of a config, and for each anchored `paths` glob the filters that use it. */
export interface PathFilterTable {
  filters: readonly PathFilter[];
  filtersByPattern: ReadonlyArray<readonly number[] | undefined>;
}

export const NO_PATHS_MATCH = "no changed file matches `paths`";
export const EVERY_PATH_IGNORED = "every changed file matches `paths_ignore`";

const NONE: readonly number[] = [];
const UNKNOWN = 0;
const YES = 1;
const NO = 2;
const PASSES = 1;
const FAILS_PATHS = 2;
const FAILS_IGNORE = 3;

/**
 * What one event's changed files say about the path globs of a compiled config, computed on demand and
 * remembered for the event: which files each `paths` glob matches (all anchored globs in one pass over the
 * index), whether a file is ignored by a `paths_ignore` set, and each path filter's verdict. Pipelines that
 * share a filter or a set share its answer.
 */
export class ChangedFileFacts {
  /** Per path glob that matched some file (or was tried on every file): the files it matches. */
  readonly #filesByPattern = new Map<number, number[]>();
  #anchoredWalked = false;
  readonly #ignoredBySet = new Map<number, Int8Array>();
  readonly #verdictByFilter: Int8Array;
  /** Filters one of whose anchored globs matched a file in the walk. */
  readonly #touchedFilters: Uint8Array;

  constructor(
    private readonly globs: GlobRegistry,
    private readonly index: PathPatternIndex,
    private readonly table: PathFilterTable,
    private readonly files: readonly string[],
  ) {
    this.#verdictByFilter = new Int8Array(table.filters.length);
    this.#touchedFilters = new Uint8Array(table.filters.length);
  }

  /**
   * Why the path filter leaves the pipeline out, or undefined when it lets it run. `paths_ignore` wins:
   * an ignored file never counts, even if it matches `paths`; with only `paths_ignore`, one file left is enough.
   */
  problem(filterId: number): string | undefined {
    let verdict = this.#verdictByFilter[filterId]!;
    if (verdict === UNKNOWN) {
      verdict = this.#decide(filterId, this.table.filters[filterId]!);
      this.#verdictByFilter[filterId] = verdict;
    }
    return verdict === PASSES ? undefined : verdict === FAILS_PATHS ? NO_PATHS_MATCH : EVERY_PATH_IGNORED;
  }

  #decide(filterId: number, { paths, pathsIgnore, anchoredOnly }: PathFilter): number {
    if (anchoredOnly) {
      // Most filters of a big config match nothing; the walk says so without looking at their globs.
      if (!this.#anchoredWalked) this.#walkAnchored();
      if (this.#touchedFilters[filterId] === 0) return FAILS_PATHS;
    }
    if (paths === undefined) {
      if (pathsIgnore === undefined) return PASSES;
      for (let fileIndex = 0; fileIndex < this.files.length; fileIndex++) if (!this.#isIgnored(pathsIgnore, fileIndex)) return PASSES;
      return FAILS_IGNORE;
    }
    for (const patternId of this.globs.setPatternIds(paths)) {
      for (const fileIndex of this.filesMatching(patternId)) {
        if (pathsIgnore === undefined || !this.#isIgnored(pathsIgnore, fileIndex)) return PASSES;
      }
    }
    return FAILS_PATHS;
  }

  /** Indexes of the changed files `patternId` matches, in file order. */
  filesMatching(patternId: number): readonly number[] {
    if (this.index.isAnchored(patternId)) {
      if (!this.#anchoredWalked) this.#walkAnchored();
      return this.#filesByPattern.get(patternId) ?? NONE;
    }
    let matched = this.#filesByPattern.get(patternId);
    if (matched === undefined) {
      matched = [];
      for (let fileIndex = 0; fileIndex < this.files.length; fileIndex++) {
        if (this.globs.patternMatches(patternId, this.files[fileIndex]!)) matched.push(fileIndex);
      }
      this.#filesByPattern.set(patternId, matched);
    }
    return matched;
  }

  /** One pass: each file against the anchored globs whose base is one of its directories (or itself). */
  #walkAnchored(): void {
    this.#anchoredWalked = true;
    const candidates: number[] = [];
    for (let fileIndex = 0; fileIndex < this.files.length; fileIndex++) {
      const file = this.files[fileIndex]!;
      candidates.length = 0;
      this.index.collectCandidates(file, candidates);
      for (const patternId of candidates) {
        if (!this.globs.patternMatches(patternId, file)) continue;
        const matched = this.#filesByPattern.get(patternId);
        if (matched) {
          matched.push(fileIndex);
          continue;
        }
        this.#filesByPattern.set(patternId, [fileIndex]);
        for (const filterId of this.table.filtersByPattern[patternId] ?? NONE) this.#touchedFilters[filterId] = 1;
      }
    }
  }

  #isIgnored(ignoreSetId: number, fileIndex: number): boolean {
    let memo = this.#ignoredBySet.get(ignoreSetId);
    if (memo === undefined) {
      memo = new Int8Array(this.files.length);
      this.#ignoredBySet.set(ignoreSetId, memo);
    }
    if (memo[fileIndex] === UNKNOWN) memo[fileIndex] = this.globs.setMatches(ignoreSetId, this.files[fileIndex]!) ? YES : NO;
    return memo[fileIndex] === YES;
  }
}
