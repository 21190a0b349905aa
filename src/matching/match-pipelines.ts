import type { PipelineConfig, PullRequestRule } from "../config/repo-config.js";
import { type CompiledRule, compilePipelines, EventMatcher } from "./compiled-pipelines.js";
import { globListMatcher } from "./glob-patterns.js";
import { decisionPool, type MatchDecision } from "./match-decision.js";
import { pushDecider } from "./push-decisions.js";
import type { PullRequestEvent, TriggerEvent } from "./trigger-event.js";

export type { MatchDecision } from "./match-decision.js";

export interface MatchOptions {
  /** Decide on branches, drafts, labels and paths only (approvals and `/run` start pipelines whatever the action). */
  ignoreActionTypes?: boolean;
}

/**
 * What this event does to each pipeline, in config order; pipelines it does not concern are left out. Pure.
 * The config's globs are compiled once per pipelines array (see compiled-pipelines.ts); each glob set and
 * each changed file is matched at most once per event; a push re-decides only the pipelines its files
 * touch (see push-decisions.ts).
 */
export function decidePipelines(event: TriggerEvent, pipelines: readonly PipelineConfig[], options: MatchOptions = {}): MatchDecision[] {
  const compiled = compilePipelines(pipelines);
  const matcher = new EventMatcher(compiled, event.kind === "push" ? event.ref : event.baseRef, event.changedFiles);
  if (event.kind === "push") return pushDecider(compiled).decide(event, matcher);
  const pool = decisionPool(compiled);
  const decisions: MatchDecision[] = [];
  for (let index = 0; index < pipelines.length; index++) {
    const rule = compiled.pullRequest[index];
    if (rule === undefined) continue;
    const decision = decidePullRequest(event, pipelines[index]!, rule, matcher, options);
    if (decision === RUN) decisions.push(pool.run(index));
    else if (decision !== undefined) decisions.push(pool.skip(index, decision));
  }
  return decisions;
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

/** A pipeline's verdict: RUN, the reason it is skipped, or undefined when the event does not concern it. */
const RUN = Symbol("run");
type Verdict = typeof RUN | string | undefined;

function decidePullRequest(
  event: PullRequestEvent,
  pipeline: PipelineConfig,
  compiledRule: CompiledRule | undefined,
  matcher: EventMatcher,
  options: MatchOptions,
): Verdict {
  const rule = pipeline.on.pull_request;
  if (!rule || !compiledRule || event.state === "closed" || event.action === "closed") return undefined;
  if (!options.ignoreActionTypes && !actionApplies(event.action, rule)) return undefined;
  if (event.draft && !rule.drafts) return undefined;
  if (compiledRule.branches !== undefined && !matcher.refMatches(compiledRule.branches)) return undefined;
  return labelsProblem(event.labels, rule) ?? matcher.pathsProblem(compiledRule) ?? RUN;
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
  return rule !== undefined && (rule.branches === undefined || globListMatcher(rule.branches)(baseRef));
}

/**
 * `paths_ignore` wins: a file matching it never counts, even if it matches `paths`.
 * With only `paths_ignore`, the pipeline runs when at least one file is not ignored.
 * An unknown file list (GitHub truncated it) lets the pipeline run.
 */
export function matchesPaths(files: readonly string[] | undefined, paths?: string[], pathsIgnore?: string[]): boolean {
  if ((paths === undefined && pathsIgnore === undefined) || files === undefined) return true;
  const isIgnored = pathsIgnore ? globListMatcher(pathsIgnore) : () => false;
  const relevant = files.filter((file) => !isIgnored(file));
  if (paths === undefined) return relevant.length > 0;
  const isWanted = globListMatcher(paths);
  return relevant.some((file) => isWanted(file));
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
