import picomatch from "picomatch";
import type { PipelineConfig, PullRequestRule } from "../config/repo-config.js";
import type { PullRequestEvent, PushEvent, TriggerEvent } from "./trigger-event.js";

const GLOB_OPTIONS = { dot: true } as const;

/**
 * `run`: the pipeline fires. `skip`: its rule applies to this event, but a filter (paths, labels)
 * left it out; `reason` says which, for a neutral check when the pipeline is required.
 */
export type MatchDecision = { pipeline: PipelineConfig; verdict: "run" } | { pipeline: PipelineConfig; verdict: "skip"; reason: string };

export interface MatchOptions {
  /** Decide on branches, drafts, labels and paths only (approvals and `/run` start pipelines whatever the action). */
  ignoreActionTypes?: boolean;
}

/** What this event does to each pipeline, in config order; pipelines it does not concern are left out. Pure. */
export function decidePipelines(event: TriggerEvent, pipelines: readonly PipelineConfig[], options: MatchOptions = {}): MatchDecision[] {
  return pipelines.flatMap((pipeline) => {
    const decision = event.kind === "push" ? decidePush(event, pipeline) : decidePullRequest(event, pipeline, options);
    return decision ? [decision] : [];
  });
}

/** The pipelines this event fires. */
export function matchPipelines(event: TriggerEvent, pipelines: readonly PipelineConfig[], options: MatchOptions = {}): PipelineConfig[] {
  return decidePipelines(event, pipelines, options).flatMap((d) => (d.verdict === "run" ? [d.pipeline] : []));
}

/** True when some pipeline would need the PR's changed files to decide (so the caller fetches them). */
export function needsChangedFiles(event: TriggerEvent, pipelines: readonly PipelineConfig[]): boolean {
  if (event.changedFiles !== undefined) return false;
  const rule = (p: PipelineConfig) => (event.kind === "push" ? p.on.push : p.on.pull_request);
  return pipelines.some((p) => rule(p)?.paths !== undefined || rule(p)?.paths_ignore !== undefined);
}

function decidePush(event: PushEvent, pipeline: PipelineConfig): MatchDecision | undefined {
  const rule = pipeline.on.push;
  if (!rule || event.deleted) return undefined;
  if (event.refType === "tag") {
    // Path filters do not apply to tags: a tag points at a tree, it changes no files.
    return rule.tags !== undefined && picomatch.isMatch(event.ref, rule.tags, GLOB_OPTIONS) ? { pipeline, verdict: "run" } : undefined;
  }
  const branchMatches = rule.branches !== undefined ? picomatch.isMatch(event.ref, rule.branches, GLOB_OPTIONS) : rule.tags === undefined;
  if (!branchMatches) return undefined;
  const pathProblem = pathsProblem(event.changedFiles, rule.paths, rule.paths_ignore);
  return pathProblem ? { pipeline, verdict: "skip", reason: pathProblem } : { pipeline, verdict: "run" };
}

function decidePullRequest(event: PullRequestEvent, pipeline: PipelineConfig, options: MatchOptions): MatchDecision | undefined {
  const rule = pipeline.on.pull_request;
  if (!rule || event.state === "closed" || event.action === "closed") return undefined;
  if (!options.ignoreActionTypes && !actionApplies(event.action, rule)) return undefined;
  if (event.draft && !rule.drafts) return undefined;
  if (!pullRequestTargetsPipeline(event.baseRef, pipeline)) return undefined;
  const problem = labelsProblem(event.labels, rule) ?? pathsProblem(event.changedFiles, rule.paths, rule.paths_ignore);
  return problem ? { pipeline, verdict: "skip", reason: problem } : { pipeline, verdict: "run" };
}

/** Labeling re-evaluates pipelines with label rules, whatever `types` says. */
function actionApplies(action: string, rule: PullRequestRule): boolean {
  if ((rule.types as readonly string[]).includes(action)) return true;
  const hasLabelRules = rule.labels !== undefined || rule.skip_labels !== undefined;
  return hasLabelRules && (action === "labeled" || action === "unlabeled");
}

function labelsProblem(labels: readonly string[], rule: PullRequestRule): string | undefined {
  const blocking = rule.skip_labels?.find((label) => labels.includes(label));
  if (blocking) return `the label \`${blocking}\` skips this pipeline`;
  if (rule.labels && !rule.labels.some((label) => labels.includes(label))) {
    return `needs one of the labels ${rule.labels.map((l) => `\`${l}\``).join(", ")}`;
  }
  return undefined;
}

/** Decides on the PR's target branch only (for `/retry` of pipelines that never ran). */
export function pullRequestTargetsPipeline(baseRef: string, pipeline: PipelineConfig): boolean {
  const rule = pipeline.on.pull_request;
  return rule !== undefined && (rule.branches === undefined || picomatch.isMatch(baseRef, rule.branches, GLOB_OPTIONS));
}

export function matchesPaths(files: readonly string[] | undefined, paths?: string[], pathsIgnore?: string[]): boolean {
  return pathsProblem(files, paths, pathsIgnore) === undefined;
}

/**
 * `paths_ignore` wins: a file matching it never counts, even if it matches `paths`.
 * With only `paths_ignore`, the pipeline runs when at least one file is not ignored.
 * An unknown file list (GitHub truncated it) lets the pipeline run.
 */
function pathsProblem(files: readonly string[] | undefined, paths?: string[], pathsIgnore?: string[]): string | undefined {
  if ((paths === undefined && pathsIgnore === undefined) || files === undefined) return undefined;
  const relevant = pathsIgnore ? files.filter((file) => !picomatch.isMatch(file, pathsIgnore, GLOB_OPTIONS)) : files;
  if (paths === undefined) return relevant.length > 0 ? undefined : "every changed file matches `paths_ignore`";
  return relevant.some((file) => picomatch.isMatch(file, paths, GLOB_OPTIONS)) ? undefined : "no changed file matches `paths`";
}

/**
 * Which pipelines get a neutral check instead of a run, and why. Pure. With a skip marker, every pipeline
 * that would have run (so required checks never hang); otherwise the required ones a filter left out.
 */
export function skippedReports(decisions: readonly MatchDecision[], skipMarker: string | undefined): Array<{ pipeline: string; reason: string }> {
  return decisions.flatMap((decision) => {
    if (skipMarker) {
      const concerned = decision.verdict === "run" || decision.pipeline.report_when_skipped;
      return concerned ? [{ pipeline: decision.pipeline.name, reason: `the head commit says \`${skipMarker}\`` }] : [];
    }
    return decision.verdict === "skip" && decision.pipeline.report_when_skipped ? [{ pipeline: decision.pipeline.name, reason: decision.reason }] : [];
  });
}
