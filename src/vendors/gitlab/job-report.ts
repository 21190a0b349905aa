import { z } from "zod";
import { vendorId } from "../envelope.js";
import { epochMsOf, jobStatusFrom, secondsBetween, type JobWithLog } from "../job-report.js";
import type { JobEntry, JobStatus, TestCaseOutcomes } from "../types.js";

/** One page of `GET /projects/:id/pipelines/:pipeline_id/jobs` is enough: GitLab allows up to 100 per page. */
export const JOBS_PER_PAGE = 100;

/** The fields of GitLab's job object the job table uses (doc/api/jobs.md, "List pipeline jobs"). */
export const jobDetails = z.array(
  z.object({
    id: vendorId,
    name: z.string(),
    stage: z.string(),
    status: z.string(),
    started_at: z.string().nullish(),
    finished_at: z.string().nullish(),
    /** Seconds, fractional. */
    duration: z.number().nullish(),
    web_url: z.string().nullish(),
    failure_reason: z.string().nullish(),
    allow_failure: z.boolean().nullish(),
  }),
);
export type GitlabJobs = z.infer<typeof jobDetails>;

/** GitLab's job statuses (`Ci::HasStatus`) in the neutral job vocabulary. */
const GITLAB_JOB_STATUS: Record<string, JobStatus> = {
  created: "queued",
  waiting_for_resource: "queued",
  preparing: "queued",
  pending: "queued",
  scheduled: "queued",
  waiting_for_callback: "running",
  running: "running",
  canceling: "running",
  manual: "manual",
  success: "success",
  failed: "failure",
  canceled: "cancelled",
  skipped: "skipped",
};

/** Pure: GitLab jobs as table rows; a failed job that may fail (allow_failure) is not a failure of the run. */
export function gitlabJobEntries(jobs: GitlabJobs, readLog: (jobId: string) => Promise<string | null>): JobWithLog[] {
  return jobs.map((job) => {
    const status = jobStatusFrom(job.status, GITLAB_JOB_STATUS);
    const allowedToFail = status === "failure" && job.allow_failure === true;
    const entry: JobEntry = {
      name: job.name,
      stage: job.stage,
      status: allowedToFail ? "success" : status,
      vendorStatus: allowedToFail ? "failed (allowed to fail)" : job.status,
      ...durationOf(job),
      ...(job.web_url ? { webUrl: job.web_url } : {}),
      ...(job.failure_reason && status === "failure" ? { error: job.failure_reason.replace(/_/g, " ") } : {}),
    };
    return { entry, ...(entry.status === "failure" ? { readLog: () => readLog(String(job.id)) } : {}) };
  });
}

function durationOf(job: GitlabJobs[number]): { durationSeconds?: number } {
  if (typeof job.duration === "number" && job.duration >= 0) return { durationSeconds: Math.round(job.duration) };
  const seconds = secondsBetween(epochMsOf(job.started_at), epochMsOf(job.finished_at));
  return seconds === undefined ? {} : { durationSeconds: seconds };
}

/** The fields of `GET /projects/:id/pipelines/:pipeline_id/test_report` that name each test case and its status. */
export const testReportCases = z.object({
  test_suites: z
    .array(
      z.object({
        name: z.string(),
        test_cases: z.array(z.object({ status: z.string(), name: z.string() })).nullish(),
      }),
    )
    .nullish(),
});

/** Pure: failed (failed, error) and passed (success) test cases, each list cut at `max` (skipped ones are neither). */
export function gitlabTestCases(report: z.infer<typeof testReportCases>, max: { failed: number; passed: number }): TestCaseOutcomes {
  const outcomes: TestCaseOutcomes = { failed: [], passed: [] };
  for (const suite of report.test_suites ?? []) {
    for (const testCase of suite.test_cases ?? []) {
      const status = testCase.status.toLowerCase();
      const list = status === "failed" || status === "error" ? outcomes.failed : status === "success" ? outcomes.passed : undefined;
      const limit = list === outcomes.failed ? max.failed : max.passed;
      if (list && list.length < limit) list.push({ suite: suite.name, name: testCase.name });
    }
  }
  return outcomes;
}
