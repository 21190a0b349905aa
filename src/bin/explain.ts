import type { PipelineConfig, RepoConfig } from "../config/repo-config.js";
import { vendorOf } from "../config/repo-config.js";
import { trustedAuthorsOf, decideTrust } from "../github/trust.js";
import { decidePipelines, pullRequestTargetsPipeline, skippedReports } from "../matching/match-pipelines.js";
import { findSkipMarker } from "../matching/skip-marker.js";
import type { PullRequestEvent, PushEvent, TriggerEvent } from "../matching/trigger-event.js";
import { relayVariables, type TriggerFacts } from "../runs/stored-request.js";
import type { RepositoryRef } from "../vendors/types.js";

export type Verdict = "run" | "skip" | "waits" | "ignore";

export interface PipelineExplanation {
  pipeline: string;
  vendor: string;
  connection: string;
  verdict: Verdict;
  /** Why it does not run (skip, waits, ignore). */
  reason?: string;
  /** A neutral check is written for it (skip markers, `report_when_skipped`). */
  neutralCheck?: boolean;
  /** What the run would receive; RELAY_RUN_ID is assigned when the run row is created. */
  variables?: Record<string, string>;
}

export interface Explanation {
  headline: string;
  notes: string[];
  pipelines: PipelineExplanation[];
}

export interface ExplainInput {
  event: TriggerEvent;
  repository: RepositoryRef;
  config: RepoConfig;
  /** The operator's trusted_authors (relay.yml), when known. */
  operatorTrustedAuthors?: readonly string[];
  /** For pull requests, the head commit's message (the app reads it from GitHub). */
  headCommitMessage?: string;
}

export const RUN_ID_PLACEHOLDER = "<run id>";

/**
 * What the app would do with this event and config: the same matching, skip-marker and trust code, without
 * GitHub or vendors. Pure.
 */
export function explainEvent(input: ExplainInput): Explanation {
  const { event, config } = input;
  const notes: string[] = [];
  const decisions = decidePipelines(event, config.pipelines);
  const message = event.kind === "push" ? event.headCommitMessage : input.headCommitMessage;
  const marker = findSkipMarker(message);
  const neutral = new Set(skippedReports(decisions, marker).map((s) => s.pipeline));
  if (event.changedFiles === undefined && config.pipelines.some((p) => hasPathFilters(event, p))) {
    notes.push("no changed files given (--paths): path filters let every pipeline through, as when GitHub cannot list the files");
  }
  const waiting = event.kind === "pull_request" ? trustNote(event, config, input.operatorTrustedAuthors ?? [], notes) : undefined;

  const pipelines = config.pipelines.map((pipeline): PipelineExplanation => {
    const base = { pipeline: pipeline.name, vendor: vendorOf(pipeline), connection: pipeline.connection };
    const decision = decisions.find((d) => d.pipeline === pipeline);
    if (!decision) return { ...base, verdict: "ignore", reason: notConcernedReason(event, pipeline) };
    // The app asks for approval before it looks at paths, labels or skip markers.
    if (waiting) return { ...base, verdict: "waits", reason: waiting };
    if (decision.verdict === "skip") return { ...base, verdict: "skip", reason: decision.reason, neutralCheck: neutral.has(pipeline.name) };
    if (marker) return { ...base, verdict: "skip", reason: `the head commit says \`${marker}\``, neutralCheck: true };
    return { ...base, verdict: "run", variables: { ...pipeline.variables, ...relayVariables(factsOf(input), pipeline.name, 0), RELAY_RUN_ID: RUN_ID_PLACEHOLDER } };
  });
  return { headline: headline(event), notes, pipelines };
}

function hasPathFilters(event: TriggerEvent, pipeline: PipelineConfig): boolean {
  const rule = event.kind === "push" ? pipeline.on.push : pipeline.on.pull_request;
  return rule?.paths !== undefined || rule?.paths_ignore !== undefined;
}

/** Adds the trust note; returns why runs wait when they cannot start on their own. */
function trustNote(pr: PullRequestEvent, config: RepoConfig, operatorTrusted: readonly string[], notes: string[]): string | undefined {
  const decision = decideTrust(pr, trustedAuthorsOf(config, operatorTrusted));
  if (decision === "check-author") {
    notes.push(`@${pr.author} opened this from a fork: pipelines start if @${pr.author} has write access (not checked offline), else after \`/ok-to-test <sha>\``);
  }
  if (decision === "untrusted-bot") return `@${pr.author} is a bot not listed in trusted_authors: waits for \`/ok-to-test <sha>\``;
  return undefined;
}

/** Why the event does not concern a pipeline at all (no check is written for it). */
export function notConcernedReason(event: TriggerEvent, pipeline: PipelineConfig): string {
  return event.kind === "push" ? pushReason(event, pipeline) : pullRequestReason(event, pipeline);
}

function pushReason(event: PushEvent, pipeline: PipelineConfig): string {
  const rule = pipeline.on.push;
  if (!rule) return "no `on.push` rule";
  if (event.deleted) return "the ref was deleted";
  if (event.refType === "tag") return rule.tags ? `tag \`${event.ref}\` matches none of tags ${list(rule.tags)}` : "tag pushes need `on.push.tags`";
  return rule.branches ? `branch \`${event.ref}\` matches none of branches ${list(rule.branches)}` : "`on.push` lists only tags";
}

function pullRequestReason(event: PullRequestEvent, pipeline: PipelineConfig): string {
  const rule = pipeline.on.pull_request;
  if (!rule) return "no `on.pull_request` rule";
  if (event.state === "closed" || event.action === "closed") return "the pull request is closed (its runs are cancelled)";
  if (event.draft && !rule.drafts) return "draft pull requests need `drafts: true`";
  if (!pullRequestTargetsPipeline(event.baseRef, pipeline)) return `target branch \`${event.baseRef}\` matches none of branches ${list(rule.branches ?? [])}`;
  return `action \`${event.action}\` is not in types ${list(rule.types)}`;
}

function list(values: readonly string[]): string {
  return values.map((v) => `\`${v}\``).join(", ");
}

function factsOf(input: ExplainInput): TriggerFacts {
  const { event, repository } = input;
  if (event.kind === "push") return { repository, sha: event.sha, ref: event.ref, refType: event.refType, event: "push" };
  return {
    repository,
    sha: event.sha,
    ref: event.headRef,
    refType: "branch",
    pullRequest: { number: event.number, headRef: event.headRef, baseRef: event.baseRef, headSha: event.sha },
    event: "pull_request",
  };
}

function headline(event: TriggerEvent): string {
  const files = event.changedFiles === undefined ? "changed files unknown" : `${event.changedFiles.length} changed file${event.changedFiles.length === 1 ? "" : "s"}`;
  if (event.kind === "push") return `push to ${event.refType} ${event.ref} (${event.sha.slice(0, 7)}), ${files}`;
  const flags = [event.draft ? "draft" : "", event.fromFork ? "from a fork" : "", event.labels.length ? `labels ${event.labels.join(", ")}` : ""].filter(Boolean);
  return `pull_request ${event.action} #${event.number} ${event.headRef} → ${event.baseRef} by @${event.author}${flags.length ? ` (${flags.join("; ")})` : ""}, ${files}`;
}

/** The explanation as the CLI prints it. */
export function renderExplanation(explanation: Explanation): string[] {
  const lines = [explanation.headline, ...explanation.notes.map((note) => `note: ${note}`), ""];
  for (const p of explanation.pipelines) {
    const label = `${p.pipeline} (${p.vendor} via ${p.connection})`;
    if (p.verdict === "run") {
      lines.push(`run     ${label}`);
      for (const [name, value] of Object.entries(p.variables ?? {})) lines.push(`          ${name}=${value}`);
    } else {
      const word = p.verdict === "skip" ? "skip   " : p.verdict === "waits" ? "waits  " : "ignore ";
      lines.push(`${word} ${label}: ${p.reason}${p.neutralCheck ? " (neutral check written)" : ""}`);
    }
  }
  const runs = explanation.pipelines.filter((p) => p.verdict === "run").length;
  lines.push("", `${runs} of ${explanation.pipelines.length} pipeline${explanation.pipelines.length === 1 ? "" : "s"} would run`);
  return lines;
}
