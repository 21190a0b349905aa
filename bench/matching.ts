import { getRepoConfigSchema, type PipelineConfig } from "../src/config/repo-config.js";
import { decidePipelines } from "../src/matching/match-pipelines.js";
import type { PushEvent } from "../src/matching/trigger-event.js";
import { fmt, median } from "./stats.js";

const PIPELINES = 10_000;
const CHANGED_PATHS = 1_000;

/**
 * 10,000 pipelines of a monorepo-like config (each: a branch rule, its own `paths`, and every third a
 * `paths_ignore`), parsed once as a loaded config is; then push events with 1,000 changed files each.
 */
function loadedConfig(): PipelineConfig[] {
  const pipelines = Array.from({ length: PIPELINES }, (_, index) => ({
    name: `svc-${index}`,
    connection: "gitlab-a",
    on: {
      push: {
        branches: ["main", "release/*"],
        paths: [`services/svc-${index}/**`, `libs/shared-${index % 50}/**`],
        ...(index % 3 === 0 ? { paths_ignore: ["**/*.md", "docs/**"] } : {}),
      },
    },
    gitlab: { project: `group/svc-${index}` },
  }));
  return getRepoConfigSchema().parse({ pipelines }).pipelines;
}

function pushEvent(seed: number): PushEvent {
  const changedFiles = Array.from({ length: CHANGED_PATHS }, (_, index) => {
    const service = (seed * 7919 + index * 104729) % (PIPELINES * 4);
    return index % 10 === 0 ? `docs/guide-${index}.md` : `services/svc-${service}/src/file-${index}.ts`;
  });
  return { kind: "push", ref: "main", refType: "branch", sha: "f".repeat(40), deleted: false, changedFiles, pusher: "bench" };
}

export interface MatchingFigures {
  /** Per event: measured directly when one event fits the budget, else extrapolated from the pipelines it reached. */
  firstEventMs: number;
  medianEventMs: number;
  events: number;
  /** How many of the 10,000 pipelines the first event got through within the budget. */
  pipelinesMeasured: number;
  extrapolated: boolean;
}

/** One event over the whole config, in chunks of 100 pipelines (decisions are per pipeline), until the budget is spent. */
function timeEvent(event: PushEvent, pipelines: PipelineConfig[], budgetMs: number): { ms: number; reached: number } {
  let spent = 0;
  let reached = 0;
  for (let offset = 0; offset < pipelines.length && spent < budgetMs; offset += 100) {
    const chunk = pipelines.slice(offset, offset + 100);
    const begin = performance.now();
    decidePipelines(event, chunk);
    spent += performance.now() - begin;
    reached += chunk.length;
  }
  return { ms: (spent * pipelines.length) / reached, reached };
}

/** (c) Time per event (decidePipelines over the whole config); the first event includes any lazy compilation. */
export function matchingRound(budgetMs = 10_000): MatchingFigures {
  const pipelines = loadedConfig();
  const first = timeEvent(pushEvent(1), pipelines, budgetMs);
  const later: number[] = [];
  const started = performance.now();
  for (let seed = 2; seed <= 20 && performance.now() - started < budgetMs; seed++) later.push(timeEvent(pushEvent(seed), pipelines, budgetMs).ms);
  return {
    firstEventMs: first.ms,
    medianEventMs: later.length > 0 ? median(later) : first.ms,
    events: 1 + later.length,
    pipelinesMeasured: first.reached,
    extrapolated: first.reached < pipelines.length,
  };
}

export function printMatchingRound(figures: MatchingFigures, index: number): void {
  const how = figures.extrapolated ? ` (extrapolated: one event got through ${figures.pipelinesMeasured} pipelines in the 10 s budget)` : "";
  console.log(
    `\n(c) matching ${PIPELINES} pipelines x ${CHANGED_PATHS} changed paths, round ${index}: first event ${fmt(figures.firstEventMs, 2)} ms, median of the next ${Math.max(0, figures.events - 1)} events ${fmt(figures.medianEventMs, 2)} ms per event${how}`,
  );
}
