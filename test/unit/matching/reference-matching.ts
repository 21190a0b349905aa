import picomatch from "picomatch";
import type { PipelineConfig, PullRequestRule } from "../../../src/config/repo-config.js";
import type { MatchDecision, MatchOptions } from "../../../src/matching/match-pipelines.js";
import type { PullRequestEvent, PushEvent, TriggerEvent } from "../../../src/matching/trigger-event.js";

/**
 * The matching of pipeline-relay before globs were compiled: picomatch.isMatch for every pipeline × file
 * pair, kept verbatim as the reference the compiled matcher must agree with.
 */

const GLOB_OPTIONS = { dot: true } as const;

/** What this event does to each pipeline, in config order; pipelines it does not concern are left out. Pure. */
export function referenceDecidePipelines(event: TriggerEvent, pipelines: readonly PipelineConfig[], options: MatchOptions = {}): MatchDecision[] {
  return pipelines.flatMap((pipeline) => {
    const decision = event.kind === "push" ? decidePush(event, pipeline) : decidePullRequest(event, pipeline, options);
    return decision ? [decision] : [];
  });
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
  if (!referenceTargetsPipeline(event.baseRef, pipeline)) return undefined;
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
export function referenceTargetsPipeline(baseRef: string, pipeline: PipelineConfig): boolean {
  const rule = pipeline.on.pull_request;
  return rule !== undefined && (rule.branches === undefined || picomatch.isMatch(baseRef, rule.branches, GLOB_OPTIONS));
}

export function referenceMatchesPaths(files: readonly string[] | undefined, paths?: string[], pathsIgnore?: string[]): boolean {
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

