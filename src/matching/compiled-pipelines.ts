import type { PipelineConfig } from "../config/repo-config.js";
import { anchoringOf, ChangedFileFacts, type PathFilter, type PathFilterTable } from "./changed-file-facts.js";
import { GlobRegistry } from "./glob-patterns.js";
import { IdLists } from "./id-lists.js";
import { PathPatternIndex } from "./path-pattern-index.js";

/** A rule's glob lists, compiled (undefined: the rule has no such list). */
export interface CompiledRule {
  /** Index into `refSets`. */
  branches?: number;
  /** Index into `refSets`. */
  tags?: number;
  /** Index into `pathFilters`, when the rule has `paths` or `paths_ignore`. */
  pathFilter?: number;
}

/** A pipeline list with its globs interned, compiled and indexed, built once per loaded config. */
export interface CompiledPipelines {
  /** The pipelines it was built from, to notice a list changed in place. */
  readonly members: readonly PipelineConfig[];
  readonly globs: GlobRegistry;
  readonly pathIndex: PathPatternIndex;
  /** Pattern-set ids of the distinct `branches` and `tags` lists (a config has few), matched on an event's ref. */
  readonly refSets: readonly number[];
  /** The distinct (paths, paths_ignore) pairs of the config. */
  readonly pathFilters: PathFilterTable;
  readonly push: ReadonlyArray<CompiledRule | undefined>;
  readonly pullRequest: ReadonlyArray<CompiledRule | undefined>;
}

interface GlobRule {
  branches?: readonly string[];
  tags?: readonly string[];
  paths?: readonly string[];
  paths_ignore?: readonly string[];
}

// Keyed by the pipelines array of a parsed config: the config cache keeps the same array while the config
// stays loaded, and a dropped config takes its compiled form with it.
const compiledByPipelines = new WeakMap<readonly PipelineConfig[], CompiledPipelines>();

export function compilePipelines(pipelines: readonly PipelineConfig[]): CompiledPipelines {
  const cached = compiledByPipelines.get(pipelines);
  if (cached && sameMembers(cached.members, pipelines)) return cached;
  const globs = new GlobRegistry();
  const pathIndex = new PathPatternIndex();
  const pathFilters: PathFilter[] = [];
  const anchorings: number[] = [];
  // (anchored `paths` glob, filter using it) pairs.
  const filterPatterns: number[] = [];
  const patternFilters: number[] = [];
  const pathFilterIds = new Map<string, number>();
  const refSets: number[] = [];
  const refSlots = new Map<number, number>();
  const refSlotOf = (patterns: readonly string[] | undefined): number | undefined => {
    if (patterns === undefined) return undefined;
    const setId = globs.internSet(patterns);
    let slot = refSlots.get(setId);
    if (slot === undefined) {
      slot = refSets.push(setId) - 1;
      refSlots.set(setId, slot);
    }
    return slot;
  };
  const setOf = (patterns: readonly string[] | undefined) => (patterns === undefined ? undefined : globs.internSet(patterns));
  const pathFilterOf = (rule: GlobRule): number | undefined => {
    const paths = setOf(rule.paths);
    const pathsIgnore = setOf(rule.paths_ignore);
    if (paths === undefined && pathsIgnore === undefined) return undefined;
    const key = `${paths ?? ""}:${pathsIgnore ?? ""}`;
    let id = pathFilterIds.get(key);
    if (id !== undefined) return id;
    id = pathFilters.length;
    pathFilterIds.set(key, id);
    const pathPatternIds = paths === undefined ? [] : globs.setPatternIds(paths);
    for (const patternId of pathPatternIds) {
      pathIndex.add(patternId, globs.literalBase(patternId));
      if (pathIndex.isAnchored(patternId)) {
        filterPatterns.push(patternId);
        patternFilters.push(id);
      }
    }
    pathFilters.push({ paths, pathPatternIds, pathsIgnore });
    anchorings.push(anchoringOf(paths !== undefined, pathPatternIds.every((patternId) => pathIndex.isAnchored(patternId)), pathsIgnore !== undefined));
    return id;
  };
  const compileRule = (rule: GlobRule | undefined): CompiledRule | undefined =>
    rule === undefined ? undefined : { branches: refSlotOf(rule.branches), tags: refSlotOf(rule.tags), pathFilter: pathFilterOf(rule) };
  const push = pipelines.map((pipeline) => compileRule(pipeline.on.push));
  const pullRequest = pipelines.map((pipeline) => compileRule(pipeline.on.pull_request));
  const compiled: CompiledPipelines = {
    members: [...pipelines],
    globs,
    pathIndex,
    refSets,
    pathFilters: {
      filters: pathFilters,
      anchoring: Uint8Array.from(anchorings),
      filtersByPattern: new IdLists(globs.patternCount, filterPatterns, patternFilters),
    },
    push,
    pullRequest,
  };
  compiledByPipelines.set(pipelines, compiled);
  return compiled;
}

function sameMembers(members: readonly PipelineConfig[], pipelines: readonly PipelineConfig[]): boolean {
  if (members.length !== pipelines.length) return false;
  for (let index = 0; index < members.length; index++) if (members[index] !== pipelines[index]) return false;
  return true;
}

/**
 * One event's view of a compiled config: each ref glob set is tried once on the event's ref (a `branches`
 * list shared by 10,000 pipelines costs one match), and the changed files' facts are shared by every pipeline.
 */
export class EventMatcher {
  /** Per ref set: 0 not tried yet, 1 matches, 2 does not. */
  readonly #refMatchBySlot: number[];
  readonly #files: ChangedFileFacts | undefined;

  constructor(
    private readonly compiled: CompiledPipelines,
    private readonly ref: string,
    changedFiles: readonly string[] | undefined,
  ) {
    this.#refMatchBySlot = new Array<number>(compiled.refSets.length).fill(0);
    this.#files = changedFiles === undefined ? undefined : new ChangedFileFacts(compiled.globs, compiled.pathIndex, compiled.pathFilters, changedFiles);
  }

  /** Whether the event's ref matches the rule's `branches` or `tags` (a slot of CompiledRule). */
  refMatches(slot: number): boolean {
    if (this.#refMatchBySlot[slot] === 0) this.#refMatchBySlot[slot] = this.compiled.globs.setMatches(this.compiled.refSets[slot]!, this.ref) ? 1 : 2;
    return this.#refMatchBySlot[slot] === 1;
  }

  /** Why the rule's path filters leave the pipeline out; an unknown file list lets it run. */
  pathsProblem(rule: CompiledRule): string | undefined {
    return rule.pathFilter === undefined ? undefined : this.filterProblem(rule.pathFilter);
  }

  /** Why a path filter (an index into `pathFilters`) leaves its pipelines out; an unknown file list lets them run. */
  filterProblem(filterId: number): string | undefined {
    return this.#files?.problem(filterId);
  }

  /** The path filters a changed file touched through an anchored glob (see ChangedFileFacts); none when the files are unknown. */
  touchedFilterIds(): readonly number[] {
    return this.#files?.touchedFilterIds() ?? [];
  }
}
