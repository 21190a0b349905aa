import { targetOf, vendorOf, type PipelineConfig } from "../config/repo-config.js";
import { errorMessage, VendorError } from "../errors.js";
import { renderReport, type ReportInput } from "../reporting/render-report.js";
import { ACTIVE_STATES, type Fence, type RunPatch, type RunRecord } from "../storage/types.js";
import { nextAttempt, olderRunsToSupersede } from "./run-policies.js";
import type { RelayContext } from "./relay-context.js";
import { buildStoredRequest, type TriggerFacts } from "./stored-request.js";

export interface StartInput extends TriggerFacts {
  installationId: number;
  reportMode: "checks" | "statuses";
  pipelines: readonly PipelineConfig[];
  /**
   * Starts a further attempt although the commit ran before (a reopened PR), still once per key: a redelivered
   * or retried event with the same key starts nothing twice.
   */
  attemptKey?: string;
}

/** Extra facts for rendering that are not columns of the run row. */
export type RenderExtras = Partial<
  Pick<
    ReportInput,
    | "builtSha"
    | "judgement"
    | "waitingForAction"
    | "failureDetail"
    | "queuePosition"
    | "failedTests"
    | "waitingReason"
    | "unknownStatusNote"
    | "jobs"
    | "trigger"
    | "logAnnotations"
    | "droppedLogAnnotations"
    | "logAnnotationNote"
    | "flakyTests"
  >
>;

const MINUTE = 60_000;

/**
 * Records runs and what people asked of them. Nothing here calls a vendor or GitHub: a new run is a row that
 * is due now, a cancel is a flag; the engine's vendor lane carries them out (src/runs/advance-run.ts) and its
 * GitHub lane writes the rendered view (src/runs/publish-run.ts). So a webhook's handling stays short and
 * every side effect happens in one place that can look it up before repeating it.
 */
export class RunService {
  constructor(private readonly ctx: RelayContext) {}

  /**
   * Automatic runs for a new commit: one per repository, commit and pipeline (a second event for the same
   * commit starts nothing). Older runs of the same PR or branch are superseded when the pipeline says so.
   */
  async start(input: StartInput): Promise<RunRecord[]> {
    const started: RunRecord[] = [];
    const earlier = input.attemptKey ? await this.ctx.store.runsForCommit(input.repository.owner, input.repository.name, input.sha) : [];
    for (const pipeline of input.pipelines) {
      const triggerKey = `${input.repository.fullName}@${input.sha}#${pipeline.name}${input.attemptKey ? `#${input.attemptKey}` : ""}`;
      const attempt = input.attemptKey ? nextAttempt(earlier, pipeline.name) : 1;
      const run = (await this.#createRun(input, pipeline, { attempt, triggerKey })) ?? (await this.#completeInterrupted(input, pipeline, triggerKey));
      if (!run) {
        this.ctx.log.info({ pipeline: pipeline.name, sha: input.sha }, "pipeline already triggered for this commit");
        continue;
      }
      started.push(run);
      if (pipeline.cancel_in_progress) await this.#supersede(run);
    }
    return started;
  }

  /** A new attempt started by a person (`/run`, forced `/retry`, a reopened PR), with optional extra variables. */
  async startManual(input: StartInput & { pipeline: PipelineConfig; variables?: Record<string, string> }): Promise<RunRecord> {
    const attempt = nextAttempt(await this.ctx.store.runsForCommit(input.repository.owner, input.repository.name, input.sha), input.pipeline.name);
    return (await this.#createRun(input, input.pipeline, { attempt, triggerKey: null, variables: input.variables }))!;
  }

  /** A new attempt of a pipeline for the same commit: vendor-native retry after a failure, else a new run. */
  async retry(previous: RunRecord, pipeline: PipelineConfig, facts: TriggerFacts): Promise<RunRecord> {
    const input = { ...facts, installationId: previous.installationId, reportMode: previous.reportMode, pipelines: [] };
    const canRetryNatively =
      previous.vendorRunId !== null && previous.connection === pipeline.connection && ["failure", "cancelled", "timed_out", "error"].includes(previous.state);
    if (!canRetryNatively) return this.startManual({ ...input, pipeline });
    const attempt = nextAttempt(await this.ctx.store.runsForCommit(previous.owner, previous.repo, previous.sha), pipeline.name);
    return (await this.#createRun(input, pipeline, { attempt, triggerKey: null, retryOf: previous.id }))!;
  }

  /**
   * Asks for a cancel; the vendor lane carries it out (a run that never reached the vendor just ends) and the
   * check turns cancelled when the vendor confirms it.
   */
  async cancel(run: RunRecord, reason: string): Promise<void> {
    await this.ctx.store.updateRun(run.id, { cancelRequested: true, cancelReason: reason, nextPollAt: this.ctx.clock() }, this.ctx.clock());
  }

  /** Ends a run as `error` with a reason its readers can act on. */
  async fail(run: RunRecord, error: unknown, fence?: Fence, prefix = ""): Promise<RunRecord> {
    const message = this.ctx.operator.masker.mask(errorMessage(error));
    if (error instanceof VendorError) this.ctx.log.warn({ runId: run.id, err: message }, "vendor call failed");
    else this.ctx.log.error({ runId: run.id, err: message }, "unexpected error while handling a run");
    const advice =
      error instanceof VendorError && error.isAuthFailure
        ? "\n\nThe vendor refused pipeline-relay's credentials: the operator must renew or fix the connection's token."
        : "";
    return this.update(run, { state: "error", finishedAt: this.ctx.clock(), nextPollAt: null, note: `**Error:** ${prefix}${message}${advice}` }, {}, fence);
  }

  /** Stores a change with the view GitHub should show; the GitHub lane writes it when it differs from what GitHub shows. */
  async update(run: RunRecord, patch: RunPatch, extras: RenderExtras = {}, fence?: Fence): Promise<RunRecord> {
    const next = { ...run, ...patch };
    const view = renderReport({
      pipeline: next.pipeline,
      vendorName: this.ctx.adapters.get(run.connection).vendor.displayName,
      state: next.state,
      vendorStatus: next.vendorStatus,
      webUrl: next.webUrl,
      sha: next.sha,
      startedAt: next.startedAt,
      finishedAt: next.finishedAt,
      note: next.note,
      cancelReason: next.cancelReason,
      attempt: next.attempt,
      ...extras,
    });
    // What people read changes with the title or a note (an outage, a refused cancel); durations alone cost no write.
    if (patch.state && patch.state !== run.state && !ACTIVE_STATES.includes(patch.state)) this.ctx.metrics.runFinished(run.vendor, patch.state);
    const viewKey = JSON.stringify([view.status, view.conclusion ?? null, view.title, next.note ?? null]);
    return this.ctx.store.updateRun(run.id, { ...patch, view: JSON.stringify(view), viewKey }, this.ctx.clock(), fence);
  }

  /**
   * The row for this trigger key exists but its request was never written (the process died between the two
   * writes): this handling of the same event writes it now, so the run starts instead of being lost.
   */
  async #completeInterrupted(input: StartInput, pipeline: PipelineConfig, triggerKey: string): Promise<RunRecord | undefined> {
    const existing = await this.ctx.store.getRunByTriggerKey(triggerKey);
    if (!existing || existing.request !== "{}" || existing.state !== "pending") return undefined;
    this.ctx.log.info({ runId: existing.id }, "completing a run whose creation was interrupted");
    const request = buildStoredRequest(input, pipeline, targetOf(pipeline), existing.id);
    return this.ctx.store.updateRun(existing.id, { request: JSON.stringify(request), nextPollAt: this.ctx.clock() }, this.ctx.clock());
  }

  /** Asks this pipeline's in-flight runs for older commits of the same PR (or branch) to cancel, never another PR's. */
  async #supersede(newer: RunRecord): Promise<void> {
    for (const older of await olderRunsToSupersede(this.ctx.store, newer)) {
      await this.cancel(older, `Superseded by ${newer.sha.slice(0, 7)}`);
    }
  }

  async #createRun(
    input: StartInput,
    pipeline: PipelineConfig,
    options: { attempt: number; triggerKey: string | null; variables?: Record<string, string>; retryOf?: number },
  ): Promise<RunRecord | undefined> {
    const now = this.ctx.clock();
    const timeoutMinutes = pipeline.timeout_minutes ?? this.ctx.operator.tracker.default_timeout_minutes;
    const created = await this.ctx.store.createRun({
      installationId: input.installationId,
      owner: input.repository.owner,
      repo: input.repository.name,
      sha: input.sha,
      pipeline: pipeline.name,
      ref: input.ref,
      attempt: options.attempt,
      triggerKey: options.triggerKey,
      vendor: vendorOf(pipeline),
      connection: pipeline.connection,
      request: "{}",
      prNumber: input.pullRequest?.number ?? null,
      state: "pending",
      reportMode: input.reportMode,
      // Due once the request below is stored with it; a crash in between leaves a row without a request,
      // which the vendor lane ends as error after this delay instead of leaving it pending forever.
      nextPollAt: now + MINUTE,
      timeoutAt: now + timeoutMinutes * MINUTE,
      createdAt: now,
    });
    if (!created) return undefined;
    // The request carries the run id (RELAY_RUN_ID), so it is written once the row exists.
    const request = { ...buildStoredRequest(input, pipeline, targetOf(pipeline), created.id, options.variables), retryOf: options.retryOf };
    return this.ctx.store.updateRun(created.id, { request: JSON.stringify(request), nextPollAt: now }, now);
  }
}
