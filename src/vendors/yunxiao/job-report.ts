import { epochMsOf, jobStatusFrom, secondsBetween, type JobWithLog } from "../job-report.js";
import type { JobEntry, JobStatus } from "../types.js";
import type { PipelineRun } from "./schema.js";

/**
 * Flow's job words (vendor-apis §3: FAIL, SUCCESS, RUNNING documented; WAITING, CANCELED, INIT, SKIP, FINISH
 * from the MCP server and webhook docs). FINISH is Flow's word for a job that ended without a verdict.
 */
const FLOW_JOB_STATUS: Record<string, JobStatus> = {
  fail: "failure",
  success: "success",
  finish: "success",
  running: "running",
  cancelling: "running",
  waiting: "queued",
  init: "queued",
  canceled: "cancelled",
  skip: "skipped",
};

/** What the Flow API cannot give the check (vendor-apis §6 and §8.1). */
export const FLOW_CANNOT_SHOW = "Flow documents no link to a single job, so job names link nowhere; the run link opens the whole run";

/** Pure: every job of a Flow run, in stage order, with a way to read a failed job's log. */
export function flowJobEntries(run: PipelineRun, readLog: (jobId: string) => Promise<string | null>): JobWithLog[] {
  return (run.stages ?? []).flatMap((stage, index) => {
    const stageName = stage.stageInfo?.name ?? stage.name ?? `stage ${index + 1}`;
    return (stage.stageInfo?.jobs ?? []).map((job): JobWithLog => {
      const id = job.id === null || job.id === undefined ? undefined : String(job.id);
      const status = jobStatusFrom(job.status, FLOW_JOB_STATUS);
      const seconds = secondsBetween(epochMsOf(job.startTime), epochMsOf(job.endTime));
      const entry: JobEntry = {
        name: job.name ?? (id ? `job ${id}` : "(unnamed job)"),
        stage: stageName,
        status,
        vendorStatus: job.status ?? "",
        ...(seconds === undefined ? {} : { durationSeconds: seconds }),
      };
      if (status === "failure" && !id) return { entry: { ...entry, logNote: "Flow gave this job no id, so its log cannot be asked for" } };
      return { entry, ...(status === "failure" && id ? { readLog: () => readLog(id) } : {}) };
    });
  });
}
