import { z } from "zod";
import { VendorError } from "../../errors.js";
import { logTailWithin } from "../log-tail.js";
import { pathSegment } from "../path-segment.js";
import { createStatusReader } from "../unknown-status.js";
import type { RunHandle, RunSnapshot, TestSummary, TriggerRequest, VendorAdapter, VendorDeps } from "../types.js";
import { withReferenceRemedy } from "./errors.js";
import { createGitlabClient } from "./client.js";
import {
  jobs,
  pipeline,
  testReportSummary,
  type GitlabConnection,
  type GitlabTarget,
  type Pipeline,
} from "./schema.js";
import { isWaitingForAction, mapGitlabStatus } from "./state-map.js";
import { createGitlabFindRun } from "./find-run.js";
import { withLogTails } from "../job-report.js";
import { gitlabJobEntries, gitlabTestCases, jobDetails, JOBS_PER_PAGE, testReportCases } from "./job-report.js";
import { MAX_KEPT_FAILURES, MAX_KEPT_PASSED } from "../../results/parse-junit.js";

export function createGitlabAdapter(deps: VendorDeps<GitlabConnection>): VendorAdapter<GitlabTarget> {
  const { http, projectPath } = createGitlabClient(deps);
  const readStatus = createStatusReader("gitlab", "GitLab", mapGitlabStatus, deps.log);
  const pipelinePath = (run: RunHandle, target: GitlabTarget) => `${projectPath(target)}/pipelines/${pathSegment(run.runId)}`;
  const toHandle = (created: Pipeline): RunHandle => ({ runId: String(created.id), webUrl: created.web_url });

  async function trigger(req: TriggerRequest<GitlabTarget>): Promise<RunHandle> {
    const ref = req.target.ref ?? req.ref;
    const created = await http.request("trigger", {
      method: "POST",
      path: `${projectPath(req.target)}/pipeline`,
      json: {
        // GitLab builds a ref, not a commit: the tracker compares the built sha afterwards.
        ref,
        variables: Object.entries(req.variables).map(([key, value]) => ({ key, value, variable_type: "env_var" })),
      },
      schema: pipeline,
      action: `start a pipeline for ${ref}`,
    }).catch((error: unknown) => {
      throw withReferenceRemedy(error, req);
    });
    return toHandle(created);
  }

  return {
    id: "gitlab",
    trigger,
    findRun: createGitlabFindRun(http, projectPath),

    async getRun(run, target): Promise<RunSnapshot> {
      const current = await http.request("getRun", { path: pipelinePath(run, target), schema: pipeline, action: `report pipeline ${run.runId}` });
      const status = readStatus(current.status, { runId: run.runId, webUrl: current.web_url });
      return {
        state: status.state,
        ...(status.unknownStatusNote ? { unknownStatusNote: status.unknownStatusNote } : {}),
        vendorStatus: current.status,
        webUrl: current.web_url,
        startedAt: current.started_at ?? undefined,
        finishedAt: current.finished_at ?? undefined,
        builtSha: current.sha,
        waitingForAction: isWaitingForAction(current.status),
      };
    },

    async cancel(run, target) {
      await http.request("cancel", { method: "POST", path: `${pipelinePath(run, target)}/cancel`, schema: pipeline, action: `cancel pipeline ${run.runId}` });
    },

    async retry(run, req) {
      // GitLab re-runs the failed and cancelled jobs of the same pipeline, keeping its id.
      const retried = await http.request("retry", {
        method: "POST",
        path: `${pipelinePath(run, req.target)}/retry`,
        schema: pipeline,
        action: `retry pipeline ${run.runId}`,
      });
      return { ...toHandle(retried), mode: "native" };
    },

    async getTestSummary(run, target): Promise<TestSummary | null> {
      let summary: z.infer<typeof testReportSummary>;
      try {
        summary = await http.request("getTestSummary", {
          path: `${pipelinePath(run, target)}/test_report_summary`,
          schema: testReportSummary,
          action: `report the tests of pipeline ${run.runId}`,
        });
      } catch (error) {
        // GitLab before 13.x has no summary endpoint: that is "no report", not a failed run.
        if (error instanceof VendorError && error.status === 404) return null;
        throw error;
      }
      const { total } = summary;
      if (total.count === 0) return null;
      return {
        total: total.count,
        passed: total.success,
        failed: total.failed,
        skipped: total.skipped,
        errored: total.error,
        source: "GitLab test report",
      };
    },

    async describeFailure(run, target) {
      const failed = await http.request("describeFailure", {
        path: `${pipelinePath(run, target)}/jobs`,
        query: { "scope[]": "failed", per_page: 20 },
        schema: jobs,
        action: `list the failed jobs of pipeline ${run.runId}`,
      });
      if (failed.length === 0) return null;
      const lines = failed.map((job) => `- \`${job.stage}\` / \`${job.name}\``);
      const first = failed[0]!;
      const trace = await http.request("describeFailure", {
        path: `${projectPath(target)}/jobs/${pathSegment(first.id)}/trace`,
        responseType: "text",
        headers: { accept: "text/plain" },
        schema: z.string(),
        action: `show the log of job ${first.id}`,
      });
      return [
        "Failed jobs:",
        ...lines,
        "",
        `Last lines of \`${first.name}\`:`,
        "```",
        logTailWithin(stripAnsi(trace)),
        "```",
      ].join("\n");
    },

    async describeJobs(run, target) {
      // Retried jobs are left out by GitLab (13.5+): each job shows its latest attempt.
      const listed = await http.request("describeJobs", {
        path: `${pipelinePath(run, target)}/jobs`,
        query: { per_page: JOBS_PER_PAGE },
        schema: jobDetails,
        action: `list the jobs of pipeline ${run.runId}`,
      });
      const readLog = (jobId: string) =>
        http.request("describeJobs", {
          path: `${projectPath(target)}/jobs/${pathSegment(jobId)}/trace`,
          responseType: "text",
          headers: { accept: "text/plain" },
          schema: z.string(),
          action: `show the log of job ${jobId}`,
        });
      const jobs = await withLogTails(gitlabJobEntries(listed, readLog));
      const cannotShow = listed.length >= JOBS_PER_PAGE ? [`only the first ${JOBS_PER_PAGE} jobs are listed; the pipeline on GitLab shows the rest`] : [];
      return { jobs, cannotShow };
    },

    async listTestCases(run, target) {
      let report: z.infer<typeof testReportCases>;
      try {
        report = await http.request("listTestCases", {
          path: `${pipelinePath(run, target)}/test_report`,
          schema: testReportCases,
          action: `list the test cases of pipeline ${run.runId}`,
        });
      } catch (error) {
        if (error instanceof VendorError && error.status === 404) return null;
        throw error;
      }
      const outcomes = gitlabTestCases(report, { failed: MAX_KEPT_FAILURES, passed: MAX_KEPT_PASSED });
      return outcomes.failed.length + outcomes.passed.length > 0 ? outcomes : null;
    },
  };
}

function stripAnsi(text: string): string {
  // GitLab job traces carry terminal colour codes and section markers.
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "").replace(/section_(start|end):\d+:[^\r\n]*\r?/g, "");
}
