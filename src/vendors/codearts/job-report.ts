import { epochMsOf, jobStatusFrom, LOG_EXCERPT_CHARS, secondsBetween, type JobWithLog } from "../job-report.js";
import type { JobEntry, JobStatus } from "../types.js";
import { MAX_LOG_PAGES, type LogPage } from "./failure-detail.js";
import type { RunDetail } from "./schema.js";

/** Stage, job and step words of CodeArts (run words plus ASYNC_FAILED and the step words seen in run details). */
const CODEARTS_PART_STATUS: Record<string, JobStatus> = {
  completed: "success",
  failed: "failure",
  async_failed: "failure",
  running: "running",
  queued: "queued",
  init: "queued",
  paused: "manual",
  suspend: "manual",
  canceled: "cancelled",
  ignored: "skipped",
  skipped: "skipped",
};

export const CODEARTS_CANNOT_SHOW = "CodeArts offers no link to a single step, so step names link nowhere; the run link opens the whole run";

/**
 * Pure: one row per step (CodeArts keeps logs per step), named by its stage and job; a job without steps is
 * one row of its own.
 */
export function codeartsJobEntries(detail: RunDetail, readLog: (jobId: string, stepId: string) => Promise<string | null>): JobWithLog[] {
  return (detail.stages ?? []).flatMap((stage) => {
    const stageName = stage.name ?? "(unnamed stage)";
    return (stage.jobs ?? []).flatMap((job): JobWithLog[] => {
      const jobName = job.name ?? "(unnamed job)";
      const steps = job.steps ?? [];
      if (steps.length === 0) return [{ entry: entryOf(jobName, stageName, job) }];
      return steps.map((step) => {
        const entry = entryOf(step.name ?? "(unnamed step)", `${stageName} › ${jobName}`, step);
        if (entry.status !== "failure") return { entry };
        if (!job.id || !step.id) return { entry: { ...entry, logNote: "CodeArts gave this step no id, so its log cannot be asked for" } };
        const jobId = job.id;
        const stepId = step.id;
        return { entry, readLog: () => readLog(jobId, stepId) };
      });
    });
  });
}

function entryOf(name: string, stage: string, part: { status?: string | null; message?: string | null; start_time?: string | number | null; end_time?: string | number | null }): JobEntry {
  const status = jobStatusFrom(part.status, CODEARTS_PART_STATUS);
  const seconds = secondsBetween(epochMsOf(part.start_time), epochMsOf(part.end_time));
  return {
    name,
    stage,
    status,
    vendorStatus: part.status ?? "",
    ...(seconds === undefined ? {} : { durationSeconds: seconds }),
    ...(part.message && status === "failure" ? { error: part.message } : {}),
  };
}

/**
 * Reads a step log page by page from the start (the API pages forward only) and keeps its last
 * LOG_EXCERPT_CHARS characters; after MAX_LOG_PAGES pages it stops and says so in the returned text.
 */
export async function readStepLogEnd(fetchPage: (startOffset: number) => Promise<LogPage>): Promise<string> {
  let text = "";
  let offset = 0;
  for (let page = 0; page < MAX_LOG_PAGES; page++) {
    const answer = await fetchPage(offset);
    text = (text + (answer.log ?? "")).slice(-LOG_EXCERPT_CHARS);
    const next = Number(answer.end_offset);
    if (!answer.has_more || !Number.isFinite(next) || next <= offset) return text;
    offset = next;
  }
  return `${text}\n(pipeline-relay read the first ${MAX_LOG_PAGES} pages of this log; the rest is on CodeArts)`;
}
