import { VendorError } from "../../errors.js";
import type { VendorHttp } from "../http.js";
import { createStatusReader } from "../unknown-status.js";
import type { RetryResult, RunSnapshot, VendorAdapter, VendorDeps } from "../types.js";
import { withErrorEnvelope } from "../envelope.js";
import { describeZadigError, zadigEnvelope } from "./errors.js";
import { isoFromSeconds, type FlavourContext, type ZadigFlavour } from "./flavour.js";
import { createOpenapiFlavour } from "./openapi.js";
import { createPipelineV2Flavour } from "./pipeline-v2.js";
import type { ZadigApi, ZadigConnection, ZadigTarget } from "./schema.js";
import { isWaitingForAction, mapZadigStatus } from "./state-map.js";
import { createWorkflowV17Flavour } from "./workflow-v17.js";
import { createOpenapiFindRun } from "./openapi-find-run.js";

const FLAVOURS: Record<ZadigApi, (context: FlavourContext) => ZadigFlavour> = {
  openapi: createOpenapiFlavour,
  "v1.7": createWorkflowV17Flavour,
  "pipeline-v2": createPipelineV2Flavour,
};

/** The one HTTP client of a Zadig connection: its token header and Zadig's error body. */
export function createZadigHttp(deps: VendorDeps<ZadigConnection>): VendorHttp {
  const { connection } = deps;
  return deps.createHttp({
    authenticate: ({ headers }) => {
      headers.set(connection.token_header, connection.token_scheme ? `${connection.token_scheme} ${connection.token}` : connection.token);
    },
    describeError: describeZadigError,
  });
}

export function createZadigAdapter(deps: VendorDeps<ZadigConnection>): VendorAdapter<ZadigTarget> {
  const http = withErrorEnvelope(createZadigHttp(deps), zadigEnvelope, (text) => deps.masker.mask(text));
  const flavour = FLAVOURS[deps.connection.api]({ http, connection: deps.connection });
  // Only the OpenAPI shows a task's parameters; v1.7 and pipeline V2 tasks cannot be searched (docs/vendors/zadig.md).
  const findRun = deps.connection.api === "openapi" ? createOpenapiFindRun(http, (runId, target) => flavour.webUrl(runId, target)) : undefined;
  const readStatus = createStatusReader("zadig", "Zadig", mapZadigStatus, deps.log);

  return {
    id: "zadig",
    trigger: (req) => flavour.trigger(req),
    ...(findRun ? { findRun } : {}),

    async getRun(run, target): Promise<RunSnapshot> {
      const task = await flavour.getTask(run, target);
      const status = readStatus(task.status, { runId: run.runId, webUrl: task.webUrl });
      return {
        state: status.state,
        ...(status.unknownStatusNote ? { unknownStatusNote: status.unknownStatusNote } : {}),
        vendorStatus: task.status,
        webUrl: task.webUrl,
        startedAt: isoFromSeconds(task.startTime),
        finishedAt: isoFromSeconds(task.endTime),
        waitingForAction: isWaitingForAction(task.status),
      };
    },

    cancel: (run, target) => flavour.cancel(run, target),

    async retry(run, req): Promise<RetryResult> {
      try {
        await flavour.retry(run, req.target);
      } catch (error) {
        // Zadig refuses (HTTP 400) to retry a task that did not fail, e.g. when the relay gave up
        // polling a task that went on to pass: a fresh task for the same commit is what was asked.
        if (!(error instanceof VendorError) || error.status !== 400) throw error;
        deps.log.info({ runId: run.runId, err: error.message }, "zadig refused to retry the task; starting a new one");
        return { ...(await flavour.trigger(req)), mode: "new-run" };
      }
      // Zadig re-runs the failed part of the same task: the id stays, the poller sees it go back to `created`.
      return { runId: run.runId, webUrl: run.webUrl ?? flavour.webUrl(run.runId, req.target), extra: run.extra, mode: "native" };
    },

    getTestSummary: (run, target) => flavour.testSummary(run, target),
    describeFailure: (run, target) => flavour.describeFailure(run, target),
    describeJobs: (run, target) => flavour.describeJobs(run, target),
  };
}
