import { renderReport, type ReportInput } from "../../../src/reporting/render-report.js";
import { withoutExcerpts } from "../../../src/reporting/render-jobs.js";
import { judgeTests } from "../../../src/runs/judge-tests.js";
import { withLogTails } from "../../../src/vendors/job-report.js";
import { annotationsFromLogs } from "../../../src/reporting/log-annotations.js";
import { gitlabJobEntries, jobDetails } from "../../../src/vendors/gitlab/job-report.js";
import { FLOW_CANNOT_SHOW, flowJobEntries } from "../../../src/vendors/yunxiao/job-report.js";
import { pipelineRun, jobLog } from "../../../src/vendors/yunxiao/schema.js";
import { CODEARTS_CANNOT_SHOW, codeartsJobEntries, readStepLogEnd } from "../../../src/vendors/codearts/job-report.js";
import { runDetail, stepLog } from "../../../src/vendors/codearts/schema.js";
import { aslanJobEntries, openapiJob, openapiJobEntries, ZADIG_ASLAN_CANNOT_SHOW, ZADIG_OPENAPI_CANNOT_SHOW } from "../../../src/vendors/zadig/job-report.js";
import type { JobReport } from "../../../src/vendors/types.js";
import { vendorFixture } from "../../helpers/fixtures.js";
import { z } from "zod";

/** A log whose last line is the error, after more lines than a tail keeps. */
const failingLog = [...Array.from({ length: 40 }, (_, i) => `step ${i + 1}`), "src/app.ts:12:5 error: expected 1 to be 2", "ERROR: Job failed: exit code 1"].join("\n");

const base: Omit<ReportInput, "vendorName" | "jobs"> = {
  pipeline: "backend",
  state: "failure",
  sha: "a".repeat(40),
  attempt: 2,
  trigger: { event: "pull_request", actor: "octocat", ref: "feature/login" },
  webUrl: "https://ci.example.com/run/1",
  startedAt: 1_000,
  finishedAt: 245_000,
};

/** A pipeline's `annotations:` pattern for the compiler line in `failingLog`. */
const PATTERN = { pattern: "^(?<file>[^:\\s]+):(?<line>\\d+):\\d+ (?<level>error|warning): (?<message>.+)$" };
const FLAKY = [{ suite: "users", name: "creates a user", failedIn: [1], passedIn: [2] }];

/** As conclude-run does: log annotations from the failed jobs' excerpts, then the render (with a flaky list). */
function render(vendorName: string, report: JobReport, extra: Partial<ReportInput> = {}) {
  const logs = report.jobs.flatMap((job) => (job.logExcerpt ? [{ jobName: job.name, text: job.logExcerpt }] : []));
  const matched = annotationsFromLogs(logs, [PATTERN]);
  return renderReport({ ...base, vendorName, jobs: withoutExcerpts(report), logAnnotations: matched.annotations, flakyTests: FLAKY, ...extra });
}

/** Checks shared by every vendor's failed check: header, trigger, table order, annotations from the log, flaky list. */
function expectReadableFailure(view: ReturnType<typeof renderReport>, failedJob: string, withLog = true) {
  const summary = view.summary;
  expect(summary).toContain("### Flaky tests");
  expect(summary).toContain("- `users` › **creates a user**: failed in attempt 1, passed in attempt 2");
  if (withLog) {
    expect(view.annotations).toEqual([
      { path: "src/app.ts", start_line: 12, end_line: 12, annotation_level: "failure", title: expect.stringMatching(/^From the log of /), message: "expected 1 to be 2" },
    ]);
    expect(summary).toContain("1 annotation was made from log lines matching the pipeline's `annotations:` patterns.");
  } else expect(view.annotations).toBeUndefined();
  expect(summary).not.toContain("| | |");
  expect(summary).not.toContain("[open]");
  expect(summary).toContain("| Triggered by | `pull_request` by `octocat` on `feature/login` |");
  expect(summary).toContain("| Attempt | 2 |");
  const table = summary.slice(summary.indexOf("### Jobs"));
  const firstRow = table.split("\n").find((line) => line.startsWith("| ") && !line.startsWith("| Job |"))!;
  expect(firstRow).toContain(failedJob);
  expect(firstRow).toContain("❌ failure");
}

describe("failed checks per vendor, from the documented example bodies", () => {
  it("GitLab: jobs with links named after the job, failed first, the last lines of the failed job", async () => {
    const listed = jobDetails.parse(vendorFixture("gitlab", "pipeline_jobs"));
    const report: JobReport = { jobs: await withLogTails(gitlabJobEntries(listed, async () => `\u001b[31m${failingLog}\u001b[0m`)), cannotShow: [] };
    const judgement = judgeTests({ total: 412, passed: 409, failed: 3, skipped: 0, source: "GitLab test report" }, undefined);
    const view = render("GitLab", report, { judgement });

    expect(view.title).toBe("1 job failed · 3 tests failed of 412");
    expectReadableFailure(view, "[rspec:other](https://example.com/foo/bar/-/jobs/6)");
    expect(view.summary).toContain("| [teaspoon](https://example.com/foo/bar/-/jobs/7) | test | ✅ success | 4m 0s |");
    expect(view.summary).toContain("#### Last lines of `rspec:other` (test)\n\n`failed`: script failure\n\n```");
    expect(view.summary).toContain("ERROR: Job failed: exit code 1\n```");
    expect(view.summary).not.toContain("step 1\n");
    expect(view.summary).not.toContain("\u001b[");
    expect(view.text).toBeUndefined();
  });

  it("Yunxiao Flow: stages and jobs with durations; says that jobs have no links of their own", async () => {
    const run = pipelineRun.parse(vendorFixture("yunxiao", "pipeline_run_get.fail"));
    const logBody = jobLog.parse({ ...vendorFixture<object>("yunxiao", "job_log"), content: failingLog });
    const report: JobReport = { jobs: await withLogTails(flowJobEntries(run, async () => logBody.content ?? "")), cannotShow: [FLOW_CANNOT_SHOW] };
    const view = render("Alibaba Cloud Flow", report);

    expect(view.title).toBe("1 job failed");
    expectReadableFailure(view, "`主机部署`");
    expect(view.summary).toContain("| `主机部署` | 部署 | ❌ failure (`FAIL`) | 39s |");
    expect(view.summary).toContain("| `Java构建` | Java构建 | ✅ success | 1m 0s |");
    expect(view.summary).toContain("src/app.ts:12:5 error: expected 1 to be 2");
    expect(view.summary).toContain(`Not shown: ${FLOW_CANNOT_SHOW}`);
  });

  it("CodeArts: one row per step under its stage and job, the step's log tail and error", async () => {
    const detail = runDetail.parse(vendorFixture("codearts", "pipeline_run_detail.failed"));
    const page = stepLog.parse({ ...vendorFixture<object>("codearts", "step_log"), log: failingLog });
    const readLog = () => readStepLogEnd(async () => page);
    const report: JobReport = { jobs: await withLogTails(codeartsJobEntries(detail, readLog)), cannotShow: [CODEARTS_CANNOT_SHOW] };
    const view = render("Huawei Cloud CodeArts", report);

    expect(view.title).toBe("1 job failed");
    expectReadableFailure(view, "`Deploy`");
    expect(view.summary).toContain("| `Deploy` | Deploy › Deploy job | ❌ failure (`FAILED`) | 38s |");
    expect(view.summary).toContain("| `Build` | Build › Build job | ✅ success (`COMPLETED`) | 58s |");
    expect(view.summary).toContain("#### Last lines of `Deploy` (Deploy › Deploy job)\n\n`FAILED`: deploy failed");
    expect(view.summary).toContain("ERROR: Job failed: exit code 1");
    expect(view.summary).toContain(`Not shown: ${CODEARTS_CANNOT_SHOW}`);
  });

  it("Zadig OpenAPI: the failed job with its error and log, the job that never started", async () => {
    const task = z
      .object({ stages: z.array(z.object({ name: z.string(), jobs: z.array(openapiJob) })) })
      .parse(vendorFixture("zadig", "openapi_task_detail.failed.schema"));
    const report: JobReport = { jobs: await withLogTails(openapiJobEntries(task.stages, async () => failingLog)), cannotShow: [ZADIG_OPENAPI_CANNOT_SHOW] };
    const view = render("Zadig", report);

    expect(view.title).toBe("1 job failed");
    expectReadableFailure(view, "`build-service1`");
    expect(view.summary).toContain("| `build-service1` | build | ❌ failure (`failed`) | 57s |");
    expect(view.summary).toContain("| `deploy-service1` | deploy | ⏳ queued (`not started`) | – |");
    expect(view.summary).toContain("`failed`: build job failed");
    expect(view.summary).toContain(`Not shown: ${ZADIG_OPENAPI_CANNOT_SHOW}`);
    expect(view.summary).toContain("ERROR: Job failed: exit code 1");
  });

  it("Zadig v1.7: stages without sub-tasks are rows of their own, and the check says logs are not shown", () => {
    const task = z
      .object({ stages: z.array(z.object({ type: z.string(), status: z.string(), sub_tasks: z.record(z.string(), z.unknown()).nullish() })) })
      .parse(vendorFixture("zadig", "v17_task_detail.failed.schema"));
    const report: JobReport = { jobs: aslanJobEntries(task.stages).map(({ entry }) => entry), cannotShow: [ZADIG_ASLAN_CANNOT_SHOW] };
    const view = render("Zadig", report);

    expect(view.title).toBe("1 job failed");
    expectReadableFailure(view, "`buildv2`", false);
    expect(view.summary).toContain("No log tail: the vendor offers no log for it.");
    expect(view.summary).toContain(`Not shown: ${ZADIG_ASLAN_CANNOT_SHOW}`);
  });
});

describe("job table limits", () => {
  it("reads at most five failed jobs' logs and says so for the others", async () => {
    const entries = Array.from({ length: 7 }, (_, i) => ({
      entry: { name: `job ${i}`, status: "failure" as const, vendorStatus: "failed" },
      readLog: async () => `log of job ${i}`,
    }));
    const jobs = await withLogTails(entries);
    expect(jobs.filter((job) => job.logTail)).toHaveLength(5);
    expect(jobs[6]!.logNote).toBe("log not read: only the first 5 failed jobs' logs are read");
  });

  it("keeps a log containing a code fence inside its block", () => {
    const view = render("GitLab", { jobs: [{ name: "lint", status: "failure", vendorStatus: "failed", logTail: "```\nnot the end" }], cannotShow: [] });
    expect(view.summary).toContain("````\n```\nnot the end\n````");
  });

  it("fits thousands of jobs within GitHub's limit and counts the rest", () => {
    const jobs = Array.from({ length: 5000 }, (_, i) => ({ name: `job-${i}-${"x".repeat(40)}`, status: "success" as const, vendorStatus: "success", durationSeconds: i }));
    const view = render("GitLab", { jobs, cannotShow: [] });
    expect(view.summary.length).toBeLessThanOrEqual(65_535);
    expect(view.summary).toMatch(/\| …and \d+ more jobs \|/);
  });
});
