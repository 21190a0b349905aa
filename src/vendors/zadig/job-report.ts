import { z } from "zod";
import { jobStatusFrom, secondsBetween, type JobWithLog } from "../job-report.js";
import type { JobEntry, JobStatus } from "../types.js";

/** Zadig's `config.Status` words for jobs and sub-tasks, in the neutral job vocabulary ("" = not started). */
const ZADIG_JOB_STATUS: Record<string, JobStatus> = {
  "": "queued",
  created: "queued",
  waiting: "queued",
  queued: "queued",
  blocked: "queued",
  pending: "queued",
  prepare: "queued",
  running: "running",
  passed: "success",
  unstable: "success",
  failed: "failure",
  timeout: "failure",
  reject: "failure",
  cancelled: "cancelled",
  skipped: "skipped",
  disabled: "skipped",
  notrun: "skipped",
  pause: "manual",
  wait_for_approval: "manual",
  wait_for_manual_error_handling: "manual",
};

export const ZADIG_OPENAPI_CANNOT_SHOW = "Zadig has no documented page for a single job, so job names link nowhere; the task link opens the whole task";
export const ZADIG_ASLAN_CANNOT_SHOW =
  "this Zadig API (v1.7 / pipeline V2) shows stages and their sub-tasks but no job logs pipeline-relay can read; the logs are on the task page";

/** The job fields of `JobTaskPreview` the table uses; times are unix seconds, left out while zero. */
export const openapiJob = z.object({
  name: z.string(),
  display_name: z.string().optional(),
  type: z.string(),
  status: z.string().default(""),
  error: z.string().optional(),
  start_time: z.number().optional(),
  end_time: z.number().optional(),
  cost_seconds: z.number().optional(),
});

interface OpenapiStage {
  name: string;
  jobs?: Array<z.infer<typeof openapiJob>> | null;
}

/** Pure: the jobs of a custom-workflow task, in stage order; a failed job's log is read by its `name`. */
export function openapiJobEntries(stages: readonly OpenapiStage[], readLog: (jobName: string) => Promise<string | null>): JobWithLog[] {
  return stages.flatMap((stage) =>
    (stage.jobs ?? []).map((job): JobWithLog => {
      const status = jobStatusFrom(job.status, ZADIG_JOB_STATUS);
      const seconds = job.cost_seconds && job.cost_seconds > 0 ? job.cost_seconds : secondsBetween(secondsToMs(job.start_time), secondsToMs(job.end_time));
      const entry: JobEntry = {
        name: job.display_name || job.name,
        stage: stage.name,
        status,
        vendorStatus: job.status || "not started",
        ...(seconds === undefined ? {} : { durationSeconds: seconds }),
        ...(job.error && status === "failure" ? { error: job.error } : {}),
      };
      return { entry, ...(status === "failure" ? { readLog: () => readLog(job.name) } : {}) };
    }),
  );
}

/** A sub-task of an aslan stage (build, deploy, testing…): only the fields the table uses. */
const aslanSubTask = z.object({ status: z.string().optional(), error: z.string().optional(), start_time: z.number().optional(), end_time: z.number().optional() });

interface AslanStage {
  type: string;
  status: string;
  sub_tasks?: Record<string, unknown> | null;
}

/** Pure: one row per sub-task (keyed by service or test), named by its stage type; no logs. */
export function aslanJobEntries(stages: readonly AslanStage[]): JobWithLog[] {
  return stages.flatMap((stage) => {
    const subTasks = Object.entries(stage.sub_tasks ?? {});
    if (subTasks.length === 0) return [{ entry: { name: stage.type, stage: stage.type, status: jobStatusFrom(stage.status, ZADIG_JOB_STATUS), vendorStatus: stage.status || "not started" } }];
    return subTasks.map(([name, raw]): JobWithLog => {
      const parsed = aslanSubTask.safeParse(raw);
      const sub = parsed.success ? parsed.data : {};
      const status = jobStatusFrom(sub.status ?? "", ZADIG_JOB_STATUS);
      const seconds = secondsBetween(secondsToMs(sub.start_time), secondsToMs(sub.end_time));
      return {
        entry: {
          name,
          stage: stage.type,
          status,
          vendorStatus: sub.status || "not started",
          ...(seconds === undefined ? {} : { durationSeconds: seconds }),
          ...(sub.error && status === "failure" ? { error: sub.error } : {}),
        },
      };
    });
  });
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds && seconds > 0 ? seconds * 1000 : undefined;
}
