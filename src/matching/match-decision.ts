import type { PipelineConfig } from "../config/repo-config.js";
import { EVERY_PATH_IGNORED, NO_PATHS_MATCH } from "./changed-file-facts.js";
import type { CompiledPipelines } from "./compiled-pipelines.js";

/**
 * `run`: the pipeline fires. `skip`: its rule applies to this event, but a filter (paths, labels)
 * left it out; `reason` says which, for a neutral check when the pipeline is required.
 */
export type MatchDecision = { pipeline: PipelineConfig; verdict: "run" } | { pipeline: PipelineConfig; verdict: "skip"; reason: string };

/**
 * The decisions that recur from event to event (run, and the two path-filter skips), made once per pipeline
 * of a compiled config and frozen, so deciding 10,000 pipelines allocates no 10,000 objects per event.
 */
export class DecisionPool {
  readonly #run: Array<MatchDecision | undefined>;
  readonly #noPathsMatch: Array<MatchDecision | undefined>;
  readonly #everyPathIgnored: Array<MatchDecision | undefined>;

  constructor(size: number) {
    this.#run = new Array<MatchDecision | undefined>(size).fill(undefined);
    this.#noPathsMatch = new Array<MatchDecision | undefined>(size).fill(undefined);
    this.#everyPathIgnored = new Array<MatchDecision | undefined>(size).fill(undefined);
  }

  run(index: number, pipeline: PipelineConfig): MatchDecision {
    return (this.#run[index] ??= Object.freeze({ pipeline, verdict: "run" as const }));
  }

  skip(index: number, pipeline: PipelineConfig, reason: string): MatchDecision {
    if (reason === NO_PATHS_MATCH) return (this.#noPathsMatch[index] ??= skipDecision(pipeline, reason));
    if (reason === EVERY_PATH_IGNORED) return (this.#everyPathIgnored[index] ??= skipDecision(pipeline, reason));
    return skipDecision(pipeline, reason);
  }
}

function skipDecision(pipeline: PipelineConfig, reason: string): MatchDecision {
  return Object.freeze({ pipeline, verdict: "skip" as const, reason });
}

const poolsByConfig = new WeakMap<CompiledPipelines, DecisionPool>();

export function decisionPool(compiled: CompiledPipelines): DecisionPool {
  let pool = poolsByConfig.get(compiled);
  if (pool === undefined) {
    pool = new DecisionPool(compiled.members.length);
    poolsByConfig.set(compiled, pool);
  }
  return pool;
}
