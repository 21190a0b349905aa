import { concludeRun, type CheckConclusion } from "../runs/conclusion.js";
import { formatRate, type TestJudgement } from "../runs/judge-tests.js";
import type { FailedTest } from "../results/parse-junit.js";
import { fitCheckView, fitText, GITHUB_LIMITS } from "./github-limits.js";
import { annotationsFor, renderTests, type CheckAnnotation } from "./render-tests.js";
import type { StoredRunState } from "../storage/types.js";

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

function renderUnfitted(input: ReportInput): CheckView {
  const summary = fitText(renderSummary(input), GITHUB_LIMITS.checkSummary);
  const text = input.failureDetail ? fitText(input.failureDetail, GITHUB_LIMITS.checkText) : undefined;
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
      const annotations = annotationsFor(input.failedTests ?? []);
      return { status: "completed", conclusion, title: finalTitle(input, conclusion), summary, text, ...(annotations.length > 0 ? { annotations } : {}) };
    }
  }
}

function finalTitle(input: ReportInput, conclusion: CheckConclusion): string {
  const tests = input.judgement;
  switch (input.state) {
    case "success":
      if (tests?.verdict === "fail") return `Tests failed the threshold: ${tests.reason}`;
      return tests?.rate !== undefined ? `Passed (tests ${formatRate(tests.rate)})` : "Passed";
    case "failure":
      return `Failed on ${input.vendorName}`;
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

function renderSummary(input: ReportInput): string {
  const rows: Array<[string, string]> = [
    ["Pipeline", `\`${input.pipeline}\``],
    ["Runs on", input.vendorName],
  ];
  if (input.vendorStatus) rows.push(["Vendor status", `\`${input.vendorStatus}\``]);
  if (input.webUrl) rows.push(["Vendor run", `[open](${input.webUrl})`]);
  const duration = formatDuration(input.startedAt, input.finishedAt);
  if (duration) rows.push(["Duration", duration]);
  if (input.attempt > 1) rows.push(["Attempt", String(input.attempt)]);

  const parts = ["| | |", "|---|---|", ...rows.map(([key, value]) => `| ${key} | ${value} |`)];
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
  return parts.join("\n");
}

export function formatDuration(startedAt?: number | null, finishedAt?: number | null): string | undefined {
  if (!startedAt || !finishedAt || finishedAt < startedAt) return undefined;
  const seconds = Math.round((finishedAt - startedAt) / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m ${seconds % 60}s` : `${seconds}s`;
}
