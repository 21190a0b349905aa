import picomatch from "picomatch";
import type { PipelineConfig } from "../config/repo-config.js";
import type { PullRequestEvent, PushEvent, TriggerEvent } from "./trigger-event.js";

const REF_OPTIONS = { dot: true } as const;
const PATH_OPTIONS = { dot: true } as const;

/** The pipelines this event fires, in config order. Pure: no I/O. */
export function matchPipelines(event: TriggerEvent, pipelines: readonly PipelineConfig[]): PipelineConfig[] {
  return pipelines.filter((pipeline) => (event.kind === "push" ? matchesPush(event, pipeline) : matchesPullRequest(event, pipeline)));
}

/** True when some pipeline would need the PR's changed files to decide (so the caller fetches them). */
export function needsChangedFiles(event: TriggerEvent, pipelines: readonly PipelineConfig[]): boolean {
  if (event.changedFiles !== undefined) return false;
  const rule = (p: PipelineConfig) => (event.kind === "push" ? p.on.push : p.on.pull_request);
  return pipelines.some((p) => rule(p)?.paths !== undefined || rule(p)?.paths_ignore !== undefined);
}

function matchesPush(event: PushEvent, pipeline: PipelineConfig): boolean {
  const rule = pipeline.on.push;
  if (!rule || event.deleted) return false;
  if (event.refType === "tag") {
    // Path filters do not apply to tags: a tag points at a tree, it changes no files.
    return rule.tags !== undefined && picomatch.isMatch(event.ref, rule.tags, REF_OPTIONS);
  }
  const branchMatches =
    rule.branches !== undefined
      ? picomatch.isMatch(event.ref, rule.branches, REF_OPTIONS)
      : rule.tags === undefined; // a rule naming only tags does not fire on branches
  return branchMatches && matchesPaths(event.changedFiles, rule.paths, rule.paths_ignore);
}

function matchesPullRequest(event: PullRequestEvent, pipeline: PipelineConfig): boolean {
  const rule = pipeline.on.pull_request;
  if (!rule || event.state === "closed" || event.action === "closed") return false;
  if (!(rule.types as readonly string[]).includes(event.action)) return false;
  if (event.draft && !rule.drafts) return false;
  if (rule.branches !== undefined && !picomatch.isMatch(event.baseRef, rule.branches, REF_OPTIONS)) return false;
  return matchesPaths(event.changedFiles, rule.paths, rule.paths_ignore);
}

/** Decides on the PR's target branch only (for `/retry` of pipelines that never ran). */
export function pullRequestTargetsPipeline(baseRef: string, pipeline: PipelineConfig): boolean {
  const rule = pipeline.on.pull_request;
  return rule !== undefined && (rule.branches === undefined || picomatch.isMatch(baseRef, rule.branches, REF_OPTIONS));
}

/**
 * `paths_ignore` wins: a file matching it never counts, even if it matches `paths`.
 * With only `paths_ignore`, the pipeline runs when at least one file is not ignored.
 */
export function matchesPaths(files: readonly string[] | undefined, paths?: string[], pathsIgnore?: string[]): boolean {
  if (paths === undefined && pathsIgnore === undefined) return true;
  if (files === undefined) return true;
  const relevant = pathsIgnore ? files.filter((file) => !picomatch.isMatch(file, pathsIgnore, PATH_OPTIONS)) : files;
  if (paths === undefined) return relevant.length > 0;
  return relevant.some((file) => picomatch.isMatch(file, paths, PATH_OPTIONS));
}
