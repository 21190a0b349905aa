import type { GlobRegistry } from "./glob-patterns.js";
import type { IdLists } from "./id-lists.js";
import type { PathPatternIndex } from "./path-pattern-index.js";

/** A rule's path filters: pattern-set ids of `paths` and `paths_ignore` (at least one is set). */
export interface PathFilter {
  paths?: number;
  /** The pattern ids of the `paths` set (none without `paths`). */
  pathPatternIds: readonly number[];
  pathsIgnore?: number;
}

/**
 * The distinct path filters of a config, their anchoring, and for each anchored `paths` glob the filters
 * that use it. The anchoring is kept in a typed array beside the filters: it alone decides most filters
 * of an event, without reading the filter.
 */
export interface PathFilterTable {
  filters: readonly PathFilter[];
  anchoring: Uint8Array;
  filtersByPattern: IdLists;
}

/** Some `paths` glob has no literal base, or there is no `paths`: the filter is decided on the files. */
export const NOT_ANCHORED = 0;
/** Every `paths` glob has a literal base: the filter fails unless the index walk matched one of them. */
export const ANCHORED_WITH_IGNORE = 1;
/** As ANCHORED_WITH_IGNORE, without `paths_ignore`: it passes as soon as the walk matched one of them. */
export const ANCHORED = 2;

export function anchoringOf(hasPaths: boolean, everyPathAnchored: boolean, hasIgnore: boolean): number {
  if (!hasPaths || !everyPathAnchored) return NOT_ANCHORED;
  return hasIgnore ? ANCHORED_WITH_IGNORE : ANCHORED;
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
 * remembered for the event: which files each `paths` glob matches (all anchored globs in one walk over the
 * index), whether a file is ignored by a `paths_ignore` set, and each path filter's verdict. Pipelines that
 * share a filter or a set share its answer.
 */
export class ChangedFileFacts {
  /** Per path glob that matched some file (or was tried on every file): the files it matches. */
  readonly #filesByPattern = new Map<number, number[]>();
  #anchoredWalked = false;
  readonly #ignoredBySet = new Map<number, Int8Array>();
  readonly #verdictByFilter: Int8Array;
  /** Filters one of whose anchored globs matched a file in the walk: a flag per filter, and their ids. */
  readonly #touchedFilters: Uint8Array;
  readonly #touchedFilterIds: number[] = [];

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
      verdict = this.#decide(filterId);
      this.#verdictByFilter[filterId] = verdict;
    }
    return verdict === PASSES ? undefined : verdict === FAILS_PATHS ? NO_PATHS_MATCH : EVERY_PATH_IGNORED;
  }

  #decide(filterId: number): number {
    const anchoring = this.table.anchoring[filterId];
    if (anchoring !== NOT_ANCHORED) {
      // Most filters of a big config match nothing; the walk says so without looking at their globs. And
      // with nothing to ignore, a file the walk matched to one of them is enough.
      if (!this.#anchoredWalked) this.#walkAnchored();
      if (this.#touchedFilters[filterId] === 0) return FAILS_PATHS;
      if (anchoring === ANCHORED) return PASSES;
    }
    const { paths, pathPatternIds, pathsIgnore } = this.table.filters[filterId]!;
    if (paths === undefined) {
      if (pathsIgnore === undefined) return PASSES;
      for (let fileIndex = 0; fileIndex < this.files.length; fileIndex++) if (!this.#isIgnored(pathsIgnore, fileIndex)) return PASSES;
      return FAILS_IGNORE;
    }
    for (const patternId of pathPatternIds) {
      for (const fileIndex of this.filesMatching(patternId)) {
        if (pathsIgnore === undefined || !this.#isIgnored(pathsIgnore, fileIndex)) return PASSES;
      }
    }
    return FAILS_PATHS;
  }

  /**
   * The filters one of whose anchored `paths` globs matches a changed file. Every other filter whose
   * globs are all anchored fails with NO_PATHS_MATCH, so a caller can decide those without asking.
   */
  touchedFilterIds(): readonly number[] {
    if (!this.#anchoredWalked) this.#walkAnchored();
    return this.#touchedFilterIds;
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

  /**
   * Every file against the anchored globs whose base is one of its directories (or itself), in passes
   * over all the files: the candidates, then their tests, then the filters of the globs that matched.
   * Each pass's reads of the config's tables are independent of one another, so the processor overlaps
   * their cache misses (the tables of a big config do not stay in cache from one event to the next).
   */
  #walkAnchored(): void {
    this.#anchoredWalked = true;
    const candidatePatterns: number[] = [];
    const candidateFiles: number[] = [];
    this.index.collectCandidatePairs(this.files, candidatePatterns, candidateFiles);
    const newlyMatched: number[] = [];
    for (let candidate = 0; candidate < candidatePatterns.length; candidate++) {
      const patternId = candidatePatterns[candidate]!;
      const fileIndex = candidateFiles[candidate]!;
      if (!this.globs.patternMatches(patternId, this.files[fileIndex]!)) continue;
      const matched = this.#filesByPattern.get(patternId);
      if (matched) {
        matched.push(fileIndex);
        continue;
      }
      this.#filesByPattern.set(patternId, [fileIndex]);
      newlyMatched.push(patternId);
    }
    const { filtersByPattern } = this.table;
    for (const patternId of newlyMatched) {
      for (let position = filtersByPattern.start(patternId); position < filtersByPattern.end(patternId); position++) {
        const filterId = filtersByPattern.at(position);
        if (this.#touchedFilters[filterId] === 1) continue;
        this.#touchedFilters[filterId] = 1;
        this.#touchedFilterIds.push(filterId);
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
