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
  /** The first event over a freshly loaded config: includes compiling and indexing its globs. */
  firstEventMs: number;
  /** Median of the following whole events (each decidePipelines over all 10,000 pipelines, timed alone). */
  medianEventMs: number;
  events: number;
  /** Pipelines the first event fires and skips, so a result that decides nothing shows. */
  firstEventRuns: number;
  firstEventSkips: number;
}

function timeEvent(event: PushEvent, pipelines: PipelineConfig[]): { ms: number; runs: number; skips: number } {
  const begin = performance.now();
  const decisions = decidePipelines(event, pipelines);
  const ms = performance.now() - begin;
  const runs = decisions.filter((decision) => decision.verdict === "run").length;
  return { ms, runs, skips: decisions.length - runs };
}

/**
 * (c) Time per event: decidePipelines over the whole config, one event at a time, each with its own 1,000
 * changed files. A fresh config each round, so the first event pays the compilation a loaded config pays once.
 */
export function matchingRound(budgetMs = 10_000, laterEvents = 50): MatchingFigures {
  const pipelines = loadedConfig();
  const first = timeEvent(pushEvent(1), pipelines);
  const later: number[] = [];
  const started = performance.now();
  for (let seed = 2; seed <= laterEvents + 1 && performance.now() - started < budgetMs; seed++) later.push(timeEvent(pushEvent(seed), pipelines).ms);
  return {
    firstEventMs: first.ms,
    medianEventMs: later.length > 0 ? median(later) : first.ms,
    events: 1 + later.length,
    firstEventRuns: first.runs,
    firstEventSkips: first.skips,
  };
}

export function printMatchingRound(figures: MatchingFigures, index: number): void {
  const how = ` (first event: ${figures.firstEventRuns} run, ${figures.firstEventSkips} skipped)`;
  console.log(
    `\n(c) matching ${PIPELINES} pipelines x ${CHANGED_PATHS} changed paths, round ${index}: first event ${fmt(figures.firstEventMs, 2)} ms, median of the next ${Math.max(0, figures.events - 1)} events ${fmt(figures.medianEventMs, 2)} ms per event${how}`,
  );
}
