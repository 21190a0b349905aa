import { stripTerminalCodes, withLogTails } from "../job-report.js";
import { CODEARTS_CANNOT_SHOW, codeartsJobEntries, readStepLogEnd } from "./job-report.js";
import type { z } from "zod";
import { VendorError } from "../../errors.js";
import { withErrorEnvelope } from "../envelope.js";
import type { VendorRequest } from "../http.js";
import { createStatusReader } from "../unknown-status.js";
import type { RunHandle, RunSnapshot, TriggerRequest, VendorAdapter, VendorDeps } from "../types.js";
import { createCodeartsAuth, credentialsOf } from "./auth.js";
import {
  describeCodeartsError,
  describeIamError,
  enveloped,
  isQueued,
  unwrap,
  vendorError,
  VENDOR,
  type Enveloped,
  type Queued,
} from "./errors.js";
import { createCodeartsFindRun, describeWithRelayRunId } from "./find-run.js";
import { failedParts, formatFailure, LOG_PAGE_LIMIT, maskValues, readLogTail } from "./failure-detail.js";
import { cancelQueuingAnswer, runDetail, runStarted, stepLog, successFlag, type CodeartsConnection, type CodeartsTarget, type RunDetail } from "./schema.js";
import { isWaitingForAction, mapCodeartsStatus } from "./state-map.js";

/** RunPipeline limits `description` to 1024 characters. */
const DESCRIPTION_LIMIT = 1024;

type Call = Omit<VendorRequest<unknown>, "schema">;

export function createCodeartsAdapter(deps: VendorDeps<CodeartsConnection>, now: () => number = Date.now): VendorAdapter<CodeartsTarget> {
  const { connection } = deps;
  const credentials = credentialsOf(connection);
  if (credentials.kind === "invalid") {
    deps.log.error({ connection: deps.connectionName, problem: credentials.problem }, "CodeArts connection is misconfigured; every call will fail");
  }
  const auth = createCodeartsAuth(
    credentials,
    () => deps.createHttp({ baseUrl: connection.iam_url ?? `https://iam.${connection.region}.myhuaweicloud.com`, describeError: describeIamError }),
    now,
    // A run-time token is a secret like the configured ones: masked in every error, log line and check.
    (token) => deps.masker.add(token),
  );
  const http = withErrorEnvelope(
    deps.createHttp({
      baseUrl: connection.url ?? `https://cloudpipeline-ext.${connection.region}.myhuaweicloud.com`,
      authenticate: auth.authenticate,
      describeError: describeCodeartsError,
    }),
    // CodeArts' own `{error_code, error_msg}` is read by `enveloped` below (a queue code is an answer, not an
    // error); the wrapper adds what every vendor gets: exact big ids, and a cut-off body retried, not final.
    { vendor: VENDOR, displayName: "CodeArts", errorOf: () => undefined },
    (text) => deps.masker.mask(text),
  );
  const readStatus = createStatusReader(VENDOR, "CodeArts", mapCodeartsStatus, deps.log);

  /** One CodeArts call: credentials, one fresh token after a 401 (IAM form), and the error-in-200 check. */
  async function call<T>(operation: string, request: Call, schema: z.ZodType<T>): Promise<Enveloped<T>> {
    // The vendor's words become an error message: mask them (an error body may echo the IAM token).
    const maskEnvelope = (answer: Enveloped<T>): Enveloped<T> =>
      answer.ok ? answer : { ok: false, error: { ...answer.error, error_msg: answer.error.error_msg ? deps.masker.mask(answer.error.error_msg) : answer.error.error_msg } };
    const send = async (headers: Record<string, string>) =>
      maskEnvelope(await http.request(operation, { ...request, headers: { ...request.headers, ...headers }, schema: enveloped(schema), action: operation }));
    const first = await auth.headers(operation);
    try {
      return await send(first);
    } catch (error) {
      if (!(error instanceof VendorError && error.status === 401 && auth.renew(first))) throw error;
    }
    deps.log.info({ operation }, "CodeArts refused the IAM token; fetching a new one and trying once more");
    return send(await auth.headers(operation));
  }

  const pipelinePath = (target: CodeartsTarget) =>
    `/v5/${encodeURIComponent(target.project_id)}/api/pipelines/${encodeURIComponent(target.pipeline_id)}`;
  const runPath = (run: RunHandle, target: CodeartsTarget) => `${pipelinePath(target)}/pipeline-runs/${encodeURIComponent(run.runId)}`;

  async function detail(operation: string, run: RunHandle, target: CodeartsTarget): Promise<RunDetail> {
    const answer = await call(operation, { path: `${pipelinePath(target)}/pipeline-runs/detail`, query: { pipeline_run_id: run.runId } }, runDetail);
    return unwrap(operation, answer);
  }

  const queuedHandle = (queued: Queued): RunHandle => ({
    runId: queued.runId,
    ...(queued.queueId ? { extra: { queue_id: queued.queueId } } : {}),
  });

  return {
    id: VENDOR,
    findRun: createCodeartsFindRun(call, pipelinePath),

    async trigger(req) {
      const answer = unwrap("trigger", await call("trigger", { method: "POST", path: `${pipelinePath(req.target)}/run`, json: runBody(req) }, runStarted), {
        allowQueued: true,
      });
      if (isQueued(answer)) {
        deps.log.info({ runId: answer.queued.runId, vendorMessage: answer.queued.message }, "CodeArts queued the run behind a concurrency limit");
        return queuedHandle(answer.queued);
      }
      return { runId: answer.pipeline_run_id };
    },

    async getRun(run, target): Promise<RunSnapshot> {
      const current = await detail("getRun", run, target);
      const status = readStatus(current.status, { runId: run.runId, webUrl: current.detail_url || undefined });
      return {
        state: status.state,
        ...(status.unknownStatusNote ? { unknownStatusNote: status.unknownStatusNote } : {}),
        vendorStatus: current.status,
        webUrl: current.detail_url || undefined,
        startedAt: isoTime(current.start_time),
        finishedAt: isoTime(current.end_time),
        builtSha: builtShaOf(current),
        waitingForAction: isWaitingForAction(current.status),
      };
    },

    async cancel(run, target) {
      const queueId = run.extra?.queue_id;
      // A run still waiting in the queue has nothing to stop yet: it leaves the queue through cancel-queuing.
      if (queueId && (await detail("cancel", run, target)).status === "QUEUED") {
        const path = `${pipelinePath(target)}/${encodeURIComponent(run.runId)}/cancel-queuing/${encodeURIComponent(queueId)}`;
        unwrap("cancel", await call("cancel", { method: "POST", path, json: {} }, cancelQueuingAnswer));
        return;
      }
      const stopped = unwrap("cancel", await call("cancel", { method: "POST", path: `${runPath(run, target)}/stop` }, successFlag));
      if (!stopped.success) throw vendorError("cancel", "CodeArts answered success: false to the stop request");
    },

    async retry(run, req) {
      // CodeArts re-runs the same pipeline run (same id); it may queue it like a start.
      const answer = unwrap("retry", await call("retry", { method: "PUT", path: `${runPath(run, req.target)}/retry` }, successFlag), {
        allowQueued: true,
        runId: run.runId,
      });
      if (isQueued(answer)) return { ...queuedHandle(answer.queued), mode: "native" };
      if (!answer.success) throw vendorError("retry", "CodeArts answered success: false to the retry request");
      return { runId: run.runId, webUrl: run.webUrl, mode: "native" };
    },

    async getTestSummary() {
      // CodeArts Pipeline has no test-report API; results arrive through pipeline-relay's own upload.
      return null;
    },

    async describeFailure(run, target) {
      const parts = failedParts(await detail("describeFailure", run, target));
      if (parts.lines.length === 0) return null;
      const mask = (text: string) => maskValues(text, auth.secrets());
      const { step } = parts;
      if (!step) return formatFailure(parts, undefined, mask);
      const logPath = `${runPath(run, target)}/jobs/${encodeURIComponent(step.jobId)}/steps/${encodeURIComponent(step.stepId)}/logs`;
      const log = await readLogTail(async (startOffset) =>
        unwrap(
          "describeFailure",
          await call(
            "describeFailure",
            { method: "POST", path: logPath, json: { start_offset: startOffset, end_offset: 0, limit: LOG_PAGE_LIMIT, sort: "asc" } },
            stepLog,
          ),
        ),
      );
      return formatFailure(parts, log, mask);
    },

    async describeJobs(run, target) {
      const mask = (text: string) => maskValues(text, auth.secrets());
      const readLog = (jobId: string, stepId: string) => {
        const logPath = `${runPath(run, target)}/jobs/${encodeURIComponent(jobId)}/steps/${encodeURIComponent(stepId)}/logs`;
        return readStepLogEnd(async (startOffset) =>
          unwrap(
            "describeJobs",
            await call("describeJobs", { method: "POST", path: logPath, json: { start_offset: startOffset, end_offset: 0, limit: LOG_PAGE_LIMIT, sort: "asc" } }, stepLog),
          ),
        );
      };
      const jobs = await withLogTails(codeartsJobEntries(await detail("describeJobs", run, target), readLog), (log) => mask(stripTerminalCodes(log)));
      return { jobs, cannotShow: [CODEARTS_CANNOT_SHOW] };
    },
  };
}

/** The RunPipeline body: one code source with the branch or tag, the variables and a description. */
export function runBody(req: TriggerRequest<CodeartsTarget>) {
  const { source, event_type } = req.target;
  const buildParams =
    req.refType === "tag"
      ? { build_type: "tag", tag: req.ref, event_type }
      : { build_type: "branch", target_branch: req.ref, event_type };
  return {
    sources: [
      {
        type: "code",
        params: {
          git_type: source.git_type,
          git_url: source.git_url ?? (source.git_type === "github" ? req.repository.cloneUrl : undefined),
          codehub_id: source.codehub_id,
          alias: source.alias,
          endpoint_id: source.endpoint_id,
          default_branch: source.default_branch,
          build_params: buildParams,
          ...(req.pullRequest ? { change_request_ids: [String(req.pullRequest.number)] } : {}),
        },
      },
    ],
    // The RELAY_RUN_ID in the description is how findRun recognises the run: CodeArts shows no run variables.
    description: describeWithRelayRunId(req.description, req.variables.RELAY_RUN_ID, DESCRIPTION_LIMIT),
    variables: Object.entries(req.variables).map(([name, value]) => ({ name, value })),
  };
}

/** Epoch milliseconds (number or digit string) or a date string; anything else is left out. */
function isoTime(value: number | string | null | undefined): string | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const ms = typeof value === "number" || /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}

/** The run detail may carry the built commit in its code source's build params (run records do). */
function builtShaOf(current: RunDetail): string | undefined {
  for (const source of current.sources ?? []) {
    const sha = source.params?.build_params?.commit_id;
    if (sha && /^[0-9a-f]{40}$/i.test(sha)) return sha.toLowerCase();
  }
  return undefined;
}
