import { withLogTails } from "../job-report.js";
import { FLOW_CANNOT_SHOW, flowJobEntries } from "./job-report.js";
import { VendorError } from "../../errors.js";
import { withErrorEnvelope } from "../envelope.js";
import { logTailWithin } from "../log-tail.js";
import { createStatusReader } from "../unknown-status.js";
import type { RunHandle, RunSnapshot, TriggerRequest, VendorAdapter, VendorDeps } from "../types.js";
import { createFlowClient } from "./client.js";
import { flowPaths, resolveConnection } from "./connection.js";
import { describeYunxiaoError, flowError, VENDOR, yunxiaoEnvelope } from "./errors.js";
import { retryFailedJobs, stopRun, type FlowContext } from "./job-control.js";
import { buildRunParamsString, repositoryUrlOf } from "./params.js";
import { builtShaOf, encodeRetried, jobsOf, retryNotPickedUp } from "./run-facts.js";
import type { YunxiaoConnection, YunxiaoTarget } from "./schema.js";
import { FAILED_JOB_STATUS, mapFlowStatus } from "./state-map.js";
import { createYunxiaoFindRun } from "./find-run.js";
import { renderWebUrl } from "./web-url.js";

export function createYunxiaoAdapter(deps: VendorDeps<YunxiaoConnection>): VendorAdapter<YunxiaoTarget> {
  const resolved = resolveConnection(deps.connection);
  if (!resolved.ok) {
    deps.log.error({ connection: deps.connectionName, problems: resolved.problems }, "yunxiao connection is misconfigured; its runs will fail");
    return misconfiguredAdapter(deps.connectionName, resolved.problems);
  }
  const { settings } = resolved;
  const { token } = deps.connection;
  const http = deps.createHttp({
    baseUrl: settings.baseUrl,
    authenticate: ({ headers }) => void headers.set("x-yunxiao-token", token),
    describeError: describeYunxiaoError,
  });
  const client = createFlowClient(withErrorEnvelope(http, yunxiaoEnvelope, (text) => deps.masker.mask(text)), flowPaths(settings.prefix));
  const ctx: FlowContext = { client, settings, log: deps.log };
  const readStatus = createStatusReader(VENDOR, "Yunxiao Flow", mapFlowStatus, deps.log);
  const pipelineIdOf = (target: YunxiaoTarget) => String(target.pipeline_id);
  const webUrlOf = (target: YunxiaoTarget, runId: string) =>
    settings.webUrlTemplate ? renderWebUrl(settings.webUrlTemplate, { pipelineId: pipelineIdOf(target), runId }) : undefined;

  async function start(operation: string, req: TriggerRequest<YunxiaoTarget>): Promise<RunHandle> {
    const runId = await client.startRun(operation, pipelineIdOf(req.target), buildRunParamsString(req));
    // Kept for getRun, which sees only the handle and the target: which source is ours and what we asked for.
    return { runId, webUrl: webUrlOf(req.target, runId), extra: { repositoryUrl: repositoryUrlOf(req), sha: req.sha } };
  }

  return {
    id: VENDOR,
    trigger: (req) => start("trigger", req),
    // The same handle start() returns, for a run found instead of started.
    findRun: createYunxiaoFindRun(http, flowPaths(settings.prefix), (req, runId) => ({
      runId,
      webUrl: webUrlOf(req.target, runId),
      extra: { repositoryUrl: repositoryUrlOf(req), sha: req.sha },
    })),

    async getRun(run, target): Promise<RunSnapshot> {
      const current = await client.getRun("getRun", pipelineIdOf(target), run.runId);
      const status = readStatus(current.status, { runId: run.runId, webUrl: webUrlOf(target, run.runId) });
      let state = status.state;
      const stale = state === "failure" ? retryNotPickedUp(current, run.extra?.retriedJobs) : [];
      if (stale.length > 0) {
        // Flow still shows the failure the retry is meant to replace: not an answer yet.
        deps.log.debug({ runId: run.runId, jobs: stale.map((job) => job.name) }, "retried Flow jobs not restarted yet");
        state = "queued";
      }
      return {
        state,
        vendorStatus: current.status,
        ...(status.unknownStatusNote ? { unknownStatusNote: status.unknownStatusNote } : {}),
        webUrl: webUrlOf(target, run.runId),
        startedAt: isoTime(current.createTime),
        finishedAt: state === "success" || state === "failure" || state === "cancelled" ? isoTime(current.updateTime) : undefined,
        builtSha: builtShaOf(current, { repositoryUrl: run.extra?.repositoryUrl, sha: run.extra?.sha }),
      };
    },

    cancel: (run, target) => stopRun(ctx, pipelineIdOf(target), run.runId),

    async retry(run, req) {
      const { retried, refused } = await retryFailedJobs(ctx, pipelineIdOf(req.target), run.runId);
      if (retried.length > 0) {
        if (refused.length > 0) deps.log.warn({ runId: run.runId, refused }, "some failed Flow jobs could not be retried");
        return {
          runId: run.runId,
          webUrl: webUrlOf(req.target, run.runId),
          extra: { ...run.extra, retriedJobs: encodeRetried(retried) },
          mode: "native",
        };
      }
      deps.log.info({ runId: run.runId, reasons: refused }, "no Flow job to retry; starting a new run");
      return { ...(await start("retry", req)), mode: "new-run" };
    },

    async describeJobs(run, target) {
      const pipelineId = pipelineIdOf(target);
      const current = await client.getRun("describeJobs", pipelineId, run.runId);
      const jobs = await withLogTails(flowJobEntries(current, (jobId) => client.jobLog("describeJobs", pipelineId, run.runId, jobId)));
      return { jobs, cannotShow: [FLOW_CANNOT_SHOW] };
    },

    // Flow has no test-report API: results arrive through pipeline-relay's own upload.
    getTestSummary: async () => null,

    async describeFailure(run, target) {
      const pipelineId = pipelineIdOf(target);
      const current = await client.getRun("describeFailure", pipelineId, run.runId);
      const failed = jobsOf(current).filter((job) => job.status === FAILED_JOB_STATUS);
      if (failed.length === 0) return null;
      const lines = ["Failed jobs:", ...failed.map((job) => `- \`${job.stage}\` / \`${job.name}\``)];
      const first = failed.find((job) => job.id !== undefined);
      if (!first) return lines.join("\n");
      let tail: string;
      try {
        tail = lastLines(await client.jobLog("describeFailure", pipelineId, run.runId, first.id!));
      } catch (error) {
        // The job list is still worth showing when its log cannot be read.
        if (!(error instanceof VendorError)) throw error;
        return [...lines, "", `The log of \`${first.name}\` could not be read: ${error.message}`].join("\n");
      }
      if (tail === "") return [...lines, "", `\`${first.name}\` left no log.`].join("\n");
      return [...lines, "", `Last lines of \`${first.name}\`:`, "```", logTailWithin(tail), "```"].join("\n");
    },
  };
}

function isoTime(ms: number | null | undefined): string | undefined {
  return typeof ms === "number" && ms > 0 ? new Date(ms).toISOString() : undefined;
}

function lastLines(log: string): string {
  return logTailWithin(log.replace(/\u001b\[[0-9;]*[A-Za-z]/g, ""));
}

/** A connection whose fields contradict each other: each call fails with the problem, for the operator to read. */
function misconfiguredAdapter(connectionName: string, problems: string[]): VendorAdapter<YunxiaoTarget> {
  const refuse = (operation: string) => async (): Promise<never> => {
    throw flowError(operation, `connection "${connectionName}" is misconfigured in the operator config: ${problems.join("; ")}`);
  };
  return {
    id: VENDOR,
    trigger: refuse("trigger"),
    getRun: refuse("getRun"),
    cancel: refuse("cancel"),
    retry: refuse("retry"),
    getTestSummary: async () => null,
  };
}
