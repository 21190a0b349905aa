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
 * The run decisions are all made up front: made one by one as pipelines first run, each new pipeline
 * shape would make the engine drop the code it optimized for the ones before, event after event.
 */
export class DecisionPool {
  readonly #run: readonly MatchDecision[];
  readonly #noPathsMatch: Array<MatchDecision | undefined>;
  readonly #everyPathIgnored: Array<MatchDecision | undefined>;

  /** `pipelines`: the config's pipelines. */
  constructor(private readonly pipelines: readonly PipelineConfig[]) {
    this.#run = pipelines.map((pipeline) => Object.freeze({ pipeline, verdict: "run" as const }));
    this.#noPathsMatch = new Array<MatchDecision | undefined>(pipelines.length).fill(undefined);
    this.#everyPathIgnored = new Array<MatchDecision | undefined>(pipelines.length).fill(undefined);
  }

  run(index: number): MatchDecision {
    return this.#run[index]!;
  }

  /** Run when nothing is in the way, else skip for `problem`. */
  decide(index: number, problem: string | undefined): MatchDecision {
    return problem === undefined ? this.run(index) : this.skip(index, problem);
  }

  skip(index: number, reason: string): MatchDecision {
    if (reason === NO_PATHS_MATCH) return (this.#noPathsMatch[index] ??= skipDecision(this.pipelines[index]!, reason));
    if (reason === EVERY_PATH_IGNORED) return (this.#everyPathIgnored[index] ??= skipDecision(this.pipelines[index]!, reason));
    return skipDecision(this.pipelines[index]!, reason);
  }
}

function skipDecision(pipeline: PipelineConfig, reason: string): MatchDecision {
  return Object.freeze({ pipeline, verdict: "skip" as const, reason });
}

const poolsByConfig = new WeakMap<CompiledPipelines, DecisionPool>();

export function decisionPool(compiled: CompiledPipelines): DecisionPool {
  let pool = poolsByConfig.get(compiled);
  if (pool === undefined) {
    pool = new DecisionPool(compiled.members);
    poolsByConfig.set(compiled, pool);
  }
  return pool;
}
