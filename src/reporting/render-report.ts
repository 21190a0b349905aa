import { concludeRun, type CheckConclusion } from "../runs/conclusion.js";
import { formatRate, type TestJudgement } from "../runs/judge-tests.js";
import type { FailedTest } from "../results/parse-junit.js";
import { fitCheckView, fitText, GITHUB_LIMITS } from "./github-limits.js";
import { annotationsFor, MAX_ANNOTATIONS, renderTests, type CheckAnnotation } from "./render-tests.js";
import type { StoredRunState } from "../storage/types.js";
import { failedJobCount, renderJobs, type ShownJobReport } from "./render-jobs.js";
import { renderFlaky, type FlakyTest } from "./render-flaky.js";

/** Who or what started the run, shown on the check. */
export interface TriggerView {
  /** push, pull_request, comment, check_run. */
  event: string;
  /** The GitHub login that caused it, when known. */
  actor?: string;
  ref: string;
}

export interface ReportInput {
  pipeline: string;
  vendorName: string;
  state: StoredRunState;
  vendorStatus?: string | null;
  webUrl?: string | null;
  sha: string;
  builtSha?: string;
  startedAt?: number | null;
  finishedAt?: number | null;
  judgement?: TestJudgement;
  waitingForAction?: boolean;
  failureDetail?: string | null;
  /** The vendor reported a status word nobody documented ("GitLab said `xyz`; treating it as running"). */
  unknownStatusNote?: string | null;
  /** Why the run ended this way or how it started (errors, retries, timeouts). */
  note?: string | null;
  /** Why pipeline-relay cancelled it; the title of a cancelled check. */
  cancelReason?: string | null;
  /** Place in the pipeline's concurrency queue, for a waiting run. */
  queuePosition?: number;
  /** Why a run that should have started is still waiting (a vendor outage), with the next attempt. */
  waitingReason?: string;
  /** From uploaded JUnit results: listed in the summary, and annotated where they name a file and line. */
  failedTests?: readonly FailedTest[];
  attempt: number;
  /** Every job (or stage/step) with status, duration and failed jobs' log tails; replaces failureDetail when set. */
  jobs?: ShownJobReport;
  trigger?: TriggerView;
  /** Annotations made from failed jobs' log lines by the pipeline's `annotations:` patterns. */
  logAnnotations?: readonly CheckAnnotation[];
  /** Log-pattern matches left out (over the cap, or the matching budget ran out), said in the summary. */
  droppedLogAnnotations?: number;
  /** Why log matching stopped early, when it did. */
  logAnnotationNote?: string;
  /** Tests that failed in one attempt and passed in another of this pipeline on this commit. */
  flakyTests?: readonly FlakyTest[];
}

export interface CheckView {
  status: "queued" | "in_progress" | "completed";
  conclusion?: CheckConclusion;
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

/** GitHub rejects check-run output fields over 65,535 characters. */
export const GITHUB_OUTPUT_LIMIT = GITHUB_LIMITS.checkSummary;

/** Pure: what a run's check run (or commit status) says, within GitHub's limits. */
export function renderReport(input: ReportInput): CheckView {
  return fitCheckView(renderUnfitted(input));
}

function renderUnfitted(unbounded: ReportInput): CheckView {
  const input = withinAnnotationCap(unbounded);
  const summary = fitText(renderSummary(input), GITHUB_LIMITS.checkSummary);
  // The job table carries the log tails; the older one-job failure detail is shown only without it.
  const text = input.failureDetail && !input.jobs ? fitText(input.failureDetail, GITHUB_LIMITS.checkText) : undefined;
  switch (input.state) {
    case "waiting":
      return { status: "queued", title: `Waiting for a free slot (position ${input.queuePosition ?? 1})`, summary };
    case "pending":
    case "starting":
      return { status: "queued", title: input.waitingReason ?? `Starting on ${input.vendorName}`, summary };
    case "queued":
      return { status: "queued", title: `Queued on ${input.vendorName}`, summary };
    case "awaiting_results":
      return { status: "in_progress", title: "Waiting for test results", summary };
    case "running":
      return {
        status: "in_progress",
        title: input.waitingForAction ? `Waiting for a manual action on ${input.vendorName}` : `Running on ${input.vendorName}`,
        summary,
      };
    default: {
      const conclusion = concludeRun(input.state, input.judgement);
      const annotations = [...annotationsFor(input.failedTests ?? []), ...(input.logAnnotations ?? [])];
      return { status: "completed", conclusion, title: finalTitle(input, conclusion), summary, text, ...(annotations.length > 0 ? { annotations } : {}) };
    }
  }
}

/** Test annotations come first (they name the exact test); log matches fill the rest of the cap and count what is left out. */
function withinAnnotationCap(input: ReportInput): ReportInput {
  const logAnnotations = input.logAnnotations ?? [];
  if (logAnnotations.length === 0) return input;
  const room = Math.max(0, MAX_ANNOTATIONS - annotationsFor(input.failedTests ?? []).length);
  const kept = logAnnotations.slice(0, room);
  return { ...input, logAnnotations: kept, droppedLogAnnotations: (input.droppedLogAnnotations ?? 0) + logAnnotations.length - kept.length };
}

function finalTitle(input: ReportInput, conclusion: CheckConclusion): string {
  const tests = input.judgement;
  switch (input.state) {
    case "success":
      if (tests?.verdict === "fail") return `Tests failed the threshold: ${tests.reason}`;
      return tests?.rate !== undefined ? `Passed (tests ${formatRate(tests.rate)})` : "Passed";
    case "failure":
      return failureCounts(input) ?? `Failed on ${input.vendorName}`;
    case "cancelled":
      return input.cancelReason ?? "Cancelled";
    case "timed_out":
      return "Timed out";
    case "skipped":
      return `Skipped by ${input.vendorName}`;
    case "error":
      return `Could not run on ${input.vendorName}`;
    default:
      return conclusion;
  }
}

/** "2 jobs failed · 3 tests failed of 412", or undefined when nothing is counted. */
export function failureCounts(input: Pick<ReportInput, "jobs" | "judgement">): string | undefined {
  const parts: string[] = [];
  const jobs = failedJobCount(input.jobs);
  if (jobs > 0) parts.push(`${jobs} ${jobs === 1 ? "job" : "jobs"} failed`);
  const tests = input.judgement?.summary;
  const failedTests = tests ? tests.failed + (tests.errored ?? 0) : 0;
  if (tests && failedTests > 0) parts.push(`${failedTests} ${failedTests === 1 ? "test" : "tests"} failed of ${tests.total}`);
  return parts.length > 0 ? parts.join(" · ") : undefined;
}

function renderSummary(input: ReportInput): string {
  // The header row names the pipeline (no empty `| | |` header); the title already says how the run ended.
  const rows: Array<[string, string]> = [];
  if (input.vendorStatus) rows.push(["Vendor status", `\`${input.vendorStatus}\``]);
  if (input.webUrl) rows.push(["Vendor run", `[${input.pipeline} on ${input.vendorName}](${input.webUrl})`]);
  if (input.trigger) rows.push(["Triggered by", triggerText(input.trigger)]);
  const duration = formatDuration(input.startedAt, input.finishedAt);
  if (duration) rows.push(["Duration", duration]);
  rows.push(["Attempt", String(input.attempt)]);

  const parts = [`| Pipeline | \`${input.pipeline}\` on ${input.vendorName} |`, "|---|---|", ...rows.map(([key, value]) => `| ${key} | ${value} |`)];
  if (input.builtSha && input.builtSha !== input.sha) {
    parts.push(
      "",
      `> **Note:** ${input.vendorName} built commit \`${input.builtSha.slice(0, 12)}\`, not \`${input.sha.slice(0, 12)}\` (the branch moved before the run started).`,
    );
  }
  if (input.unknownStatusNote && (input.state === "queued" || input.state === "running")) parts.push("", `> **Note:** ${input.unknownStatusNote}`);
  if (input.note) parts.push("", input.note);
  if (input.state === "awaiting_results") {
    parts.push("", "The vendor run succeeded. The pipeline's test threshold is judged on the test results it uploads to `RELAY_RESULTS_URL`; waiting for them.");
  }
  if (input.judgement) parts.push("", renderTests(input.judgement, input.failedTests));
  if (input.flakyTests && input.flakyTests.length > 0) parts.push("", renderFlaky(input.flakyTests));
  if (input.jobs) parts.push("", renderJobs(input.jobs, input.vendorName));
  const annotationNote = logAnnotationNote(input);
  if (annotationNote) parts.push("", annotationNote);
  return parts.join("\n");
}

function triggerText(trigger: TriggerView): string {
  const actor = trigger.actor ? ` by \`${trigger.actor.replace(/`/g, "")}\`` : "";
  return `\`${trigger.event}\`${actor} on \`${trigger.ref.replace(/`/g, "")}\``;
}

function logAnnotationNote(input: ReportInput): string | undefined {
  const made = input.logAnnotations?.length ?? 0;
  const dropped = input.droppedLogAnnotations ?? 0;
  if (made === 0 && dropped === 0 && !input.logAnnotationNote) return undefined;
  const lines = [`${made} ${made === 1 ? "annotation was" : "annotations were"} made from log lines matching the pipeline's \`annotations:\` patterns.`];
  if (dropped > 0) lines.push(`${dropped} more ${dropped === 1 ? "match was" : "matches were"} left out (at most ${MAX_ANNOTATIONS} annotations per check).`);
  if (input.logAnnotationNote) lines.push(input.logAnnotationNote);
  return lines.join(" ");
}

export function formatDuration(startedAt?: number | null, finishedAt?: number | null): string | undefined {
  if (!startedAt || !finishedAt || finishedAt < startedAt) return undefined;
  const seconds = Math.round((finishedAt - startedAt) / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m ${seconds % 60}s` : `${seconds}s`;
}
