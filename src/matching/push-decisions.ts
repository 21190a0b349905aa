import { NO_PATHS_MATCH, NOT_ANCHORED } from "./changed-file-facts.js";
import type { CompiledPipelines, CompiledRule, EventMatcher } from "./compiled-pipelines.js";
import { IdLists } from "./id-lists.js";
import { decisionPool, type DecisionPool, type MatchDecision } from "./match-decision.js";
import type { PushEvent } from "./trigger-event.js";

/**
 * What one ref does to a config's pipelines: those the push concerns, in config order, each with the
 * decision it gets when no changed file matches an anchored `paths` glob.
 */
interface PushLayout {
  /** Per pipeline: its position among the decisions when the push concerns it and its path filter applies, else -1. */
  filteredPositions: Int32Array;
  /** Decisions when no changed file touched a path filter (see ChangedFileFacts.touchedFilterIds). */
  untouched: readonly MatchDecision[];
  /** Concerned pipelines with a path filter; an unknown file list lets them all run. */
  pathFiltered: readonly number[];
  /** Concerned pipelines whose path filter no untouched decision can stand for (unanchored globs, or `paths_ignore` only). */
  decidedEachEvent: readonly number[];
}

/** Enough for the refs a repository pushes to in turn (the default branch, release branches, tags). */
const LAYOUTS_KEPT = 8;

/**
 * Push events decided by copying. Which pipelines a push concerns, and so each one's place in the result,
 * depends on its ref alone (which `branches` and `tags` sets match it); the layout of such a ref outcome is
 * built once. An event copies its untouched decisions and re-decides only the pipelines whose filter a
 * changed file touched, and those whose filter has to see every file: in a config of 10,000 pipelines a
 * push touches a few hundred, so an event does not walk the whole config.
 */
export class PushDecider {
  /** Per path filter: the pipelines whose push rule uses it. */
  readonly #pipelinesByFilter: IdLists;
  readonly #layouts = new Map<string, PushLayout>();
  readonly #pool: DecisionPool;
  /** The ref slots of the push rules' `branches` and `tags`: their outcomes on a ref pick its layout. */
  readonly #refSlots: readonly number[];

  constructor(private readonly compiled: CompiledPipelines) {
    this.#pool = decisionPool(compiled);
    const filters: number[] = [];
    const pipelines: number[] = [];
    const refSlots = new Set<number>();
    compiled.push.forEach((rule, index) => {
      if (rule?.branches !== undefined) refSlots.add(rule.branches);
      if (rule?.tags !== undefined) refSlots.add(rule.tags);
      if (rule?.pathFilter === undefined) return;
      filters.push(rule.pathFilter);
      pipelines.push(index);
    });
    this.#refSlots = [...refSlots];
    this.#pipelinesByFilter = new IdLists(compiled.pathFilters.filters.length, filters, pipelines);
  }

  decide(event: PushEvent, matcher: EventMatcher): MatchDecision[] {
    // A deleted branch or tag builds nothing.
    if (event.deleted) return [];
    const layout = this.#layout(event.refType, matcher);
    const decisions = layout.untouched.slice();
    const redecide = (index: number, problem: string | undefined) => {
      const position = layout.filteredPositions[index]!;
      if (position !== -1) decisions[position] = this.#pool.decide(index, problem);
    };
    const redecideAlone = (index: number) => redecide(index, matcher.filterProblem(this.compiled.push[index]!.pathFilter!));
    if (event.changedFiles === undefined) {
      layout.pathFiltered.forEach(redecideAlone);
      return decisions;
    }
    const byFilter = this.#pipelinesByFilter;
    for (const filterId of matcher.touchedFilterIds()) {
      const problem = matcher.filterProblem(filterId);
      for (let position = byFilter.start(filterId); position < byFilter.end(filterId); position++) redecide(byFilter.at(position), problem);
    }
    layout.decidedEachEvent.forEach(redecideAlone);
    return decisions;
  }

  #layout(refType: PushEvent["refType"], matcher: EventMatcher): PushLayout {
    let key = refType;
    for (const slot of this.#refSlots) key += matcher.refMatches(slot) ? "1" : "0";
    let layout = this.#layouts.get(key);
    if (layout === undefined) {
      layout = this.#buildLayout(refType, matcher);
      if (this.#layouts.size >= LAYOUTS_KEPT) this.#layouts.delete(this.#layouts.keys().next().value!);
      this.#layouts.set(key, layout);
    }
    return layout;
  }

  #buildLayout(refType: PushEvent["refType"], matcher: EventMatcher): PushLayout {
    const { members, push, pathFilters } = this.compiled;
    const filteredPositions = new Int32Array(members.length).fill(-1);
    const untouched: MatchDecision[] = [];
    const pathFiltered: number[] = [];
    const decidedEachEvent: number[] = [];
    push.forEach((rule, index) => {
      if (rule === undefined || !pushConcerns(refType, rule, matcher)) return;
      // Path filters do not apply to tags: a tag points at a tree, it changes no files.
      const filterId = refType === "branch" ? rule.pathFilter : undefined;
      const anchored = filterId !== undefined && pathFilters.anchoring[filterId] !== NOT_ANCHORED;
      if (filterId !== undefined) {
        filteredPositions[index] = untouched.length;
        pathFiltered.push(index);
        if (!anchored) decidedEachEvent.push(index);
      }
      untouched.push(anchored ? this.#pool.skip(index, NO_PATHS_MATCH) : this.#pool.run(index));
    });
    return { filteredPositions, untouched, pathFiltered, decidedEachEvent };
  }
}

/** Whether a push to this kind of ref concerns the rule: its `tags` match a tag, its `branches` (or no `tags`) a branch. */
function pushConcerns(refType: PushEvent["refType"], rule: CompiledRule, matcher: EventMatcher): boolean {
  if (refType === "tag") return rule.tags !== undefined && matcher.refMatches(rule.tags);
  return rule.branches !== undefined ? matcher.refMatches(rule.branches) : rule.tags === undefined;
}

const decidersByConfig = new WeakMap<CompiledPipelines, PushDecider>();

export function pushDecider(compiled: CompiledPipelines): PushDecider {
  let decider = decidersByConfig.get(compiled);
  if (decider === undefined) {
    decider = new PushDecider(compiled);
    decidersByConfig.set(compiled, decider);
  }
  return decider;
}
