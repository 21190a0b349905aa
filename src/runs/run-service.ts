import { targetOf, vendorOf, type PipelineConfig } from "../config/repo-config.js";
import { errorMessage, VendorError } from "../errors.js";
import { checkName, type Octokit } from "../github/octokit.js";
import { publishReport } from "../github/publish-report.js";
import { renderReport, type ReportInput } from "../reporting/render-report.js";
import type { RunPatch, RunRecord } from "../storage/types.js";
import type { RunHandle, TriggerRequest } from "../vendors/types.js";
import { newResultsToken, resultsUrl } from "../results/results-token.js";
import { nextAttempt, olderRunsToSupersede, slotsTaken } from "./run-policies.js";
import type { RelayContext } from "./relay-context.js";
import { buildStoredRequest, handleOf, readStoredRequest, type TriggerFacts } from "./stored-request.js";

export interface StartInput extends TriggerFacts {
  installationId: number;
  reportMode: "checks" | "statuses";
  pipelines: readonly PipelineConfig[];
}

/** Extra facts for rendering that are not columns of the run row. */
export type RenderExtras = Partial<Pick<ReportInput, "builtSha" | "judgement" | "waitingForAction" | "failureDetail" | "queuePosition" | "failedTests">>;

const MINUTE = 60_000;

/** Starts, retries and cancels runs; the only writer of run rows besides the tracker. */
export class RunService {
  constructor(private readonly ctx: RelayContext) {}

  /**
   * Automatic runs for a new commit: one per repository, commit and pipeline (a second event for the same
   * commit starts nothing). Older runs of the same PR or branch are superseded once the new one started.
   */
  async start(input: StartInput): Promise<RunRecord[]> {
    const started: RunRecord[] = [];
    for (const pipeline of input.pipelines) {
      const triggerKey = `${input.repository.fullName}@${input.sha}#${pipeline.name}`;
      const run = await this.#createRun(input, pipeline, { attempt: 1, triggerKey });
      if (!run) {
        this.ctx.log.info({ pipeline: pipeline.name, sha: input.sha }, "pipeline already triggered for this commit");
        continue;
      }
      const launched = await this.launch(run);
      started.push(launched);
      if (pipeline.cancel_in_progress) await this.#supersede(launched);
    }
    return started;
  }

  /** A new attempt started by a person (`/run`, forced `/retry`), with optional extra variables. */
  async startManual(input: StartInput & { pipeline: PipelineConfig; variables?: Record<string, string> }): Promise<RunRecord> {
    const attempt = nextAttempt(await this.ctx.store.runsForCommit(input.repository.owner, input.repository.name, input.sha), input.pipeline.name);
    const run = (await this.#createRun(input, input.pipeline, { attempt, triggerKey: null, variables: input.variables }))!;
    return this.launch(run);
  }

  /** A new attempt of a pipeline for the same commit: vendor-native retry after a failure, else a new run. */
  async retry(previous: RunRecord, pipeline: PipelineConfig, facts: TriggerFacts): Promise<RunRecord> {
    const input = { ...facts, installationId: previous.installationId, reportMode: previous.reportMode, pipelines: [] };
    const canRetryNatively =
      previous.vendorRunId !== null && previous.connection === pipeline.connection && ["failure", "cancelled", "timed_out", "error"].includes(previous.state);
    if (!canRetryNatively) return this.startManual({ ...input, pipeline });

    const attempt = nextAttempt(await this.ctx.store.runsForCommit(previous.owner, previous.repo, previous.sha), pipeline.name);
    const run = (await this.#createRun(input, pipeline, { attempt, triggerKey: null }))!;
    const { adapter, vendor } = this.ctx.adapters.get(run.connection);
    const results = this.#resultsVariables(run);
    try {
      const handle = await adapter.retry(handleOf(previous), withVariables(readStoredRequest(run).trigger, results.variables));
      const how = handle.mode === "native" ? `${vendor.displayName} re-ran the failed part of run ${previous.vendorRunId}` : `${vendor.displayName} started a new run`;
      return await this.update(run, {
        state: "queued",
        // A native retry re-runs with the first attempt's variables: its token (and run id) stay in use.
        resultsTokenHash: handle.mode === "native" ? previous.resultsTokenHash : results.hash,
        ...vendorRunFields(handle),
        nextPollAt: this.ctx.clock(),
        note: `Retry of attempt ${previous.attempt}: ${how}.`,
      });
    } catch (error) {
      return this.fail(run, error);
    }
  }

  /** Starts the run now, or holds it back while the pipeline's concurrency limit is reached. */
  async launch(run: RunRecord): Promise<RunRecord> {
    const limit = readStoredRequest(run).concurrency;
    if (limit !== undefined) {
      const taken = await slotsTaken(this.ctx.store, run);
      if (taken.running >= limit || taken.waitingBefore > 0) {
        return this.update(run, { state: "waiting" }, { queuePosition: taken.waitingBefore + 1 });
      }
    }
    return this.trigger(run);
  }

  /** Asks the vendor to cancel; the check turns cancelled when the vendor confirms it (the next poll). */
  async cancel(run: RunRecord, reason: string): Promise<void> {
    if (run.vendorRunId === null) {
      await this.update(run, { state: "cancelled", finishedAt: this.ctx.clock(), cancelReason: reason });
      return;
    }
    const { adapter } = this.ctx.adapters.get(run.connection);
    await adapter.cancel(handleOf(run), readStoredRequest(run).trigger.target);
    await this.ctx.store.updateRun(run.id, { nextPollAt: this.ctx.clock(), cancelReason: reason }, this.ctx.clock());
  }

  /** Calls the vendor for a run row that has no vendor run yet (also after a crash). */
  async trigger(pending: RunRecord): Promise<RunRecord> {
    const { adapter } = this.ctx.adapters.get(pending.connection);
    // The check run is created once the vendor answered (with its link): one GitHub write fewer per run.
    const run = await this.update(pending, { state: "pending" }, {}, { publish: false });
    const results = this.#resultsVariables(run);
    try {
      const handle = await adapter.trigger(withVariables(readStoredRequest(run).trigger, results.variables));
      return await this.update(run, {
        state: "queued",
        resultsTokenHash: results.hash,
        ...vendorRunFields(handle),
        nextPollAt: this.ctx.clock() + this.ctx.operator.tracker.poll_initial_seconds * 1000,
      });
    } catch (error) {
      return this.fail(run, error);
    }
  }

  /** Ends a run as `error` with a reason its readers can act on. */
  async fail(run: RunRecord, error: unknown): Promise<RunRecord> {
    const message = this.ctx.operator.masker.mask(errorMessage(error));
    if (error instanceof VendorError) this.ctx.log.warn({ runId: run.id, err: message }, "vendor call failed");
    else this.ctx.log.error({ runId: run.id, err: message }, "unexpected error while handling a run");
    const advice =
      error instanceof VendorError && error.isAuthFailure
        ? "\n\nThe vendor refused pipeline-relay's credentials: the operator must renew or fix the connection's token."
        : "";
    return this.update(run, { state: "error", finishedAt: this.ctx.clock(), note: `**Error:** ${message}${advice}` });
  }

  /** Stores a change, renders what GitHub should show and writes it if it changed. */
  async update(run: RunRecord, patch: RunPatch, extras: RenderExtras = {}, options = { publish: true }): Promise<RunRecord> {
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
    const viewKey = JSON.stringify([view.status, view.conclusion ?? null, view.title]);
    const stored = await this.ctx.store.updateRun(run.id, { ...patch, view: JSON.stringify(view), viewKey }, this.ctx.clock());
    return options.publish ? this.publish(stored) : stored;
  }

  /** Writes the stored view to GitHub when it differs from what GitHub shows; a failure is retried by the tracker. */
  async publish(run: RunRecord, octokit?: Octokit): Promise<RunRecord> {
    if (run.view === null || run.viewKey === run.reported) return run;
    try {
      const client = octokit ?? (await this.ctx.github(run.installationId));
      const result = await publishReport(
        client,
        {
          owner: run.owner,
          repo: run.repo,
          sha: run.sha,
          name: checkName(run.pipeline),
          mode: run.reportMode,
          checkRunId: run.checkRunId,
          detailsUrl: run.webUrl,
          externalId: String(run.id),
        },
        JSON.parse(run.view),
        this.ctx.operator.masker,
      );
      return await this.ctx.store.updateRun(run.id, { reported: run.viewKey, checkRunId: result.checkRunId, reportMode: result.mode }, this.ctx.clock());
    } catch (error) {
      this.ctx.log.warn({ runId: run.id, err: this.ctx.operator.masker.mask(errorMessage(error)) }, "could not write the run's state to GitHub; will try again");
      return run;
    }
  }

  /**
   * RELAY_RESULTS_URL and a fresh RELAY_RESULTS_TOKEN, handed to the vendor but never stored:
   * the run row keeps only the token's hash. None when the operator set no public URL.
   */
  #resultsVariables(run: RunRecord): { variables: Record<string, string>; hash: string | null } {
    const publicUrl = this.ctx.operator.results.public_url;
    if (!publicUrl) return { variables: {}, hash: null };
    const { token, hash } = newResultsToken();
    this.ctx.operator.masker.add(token);
    return { variables: { RELAY_RESULTS_URL: resultsUrl(publicUrl, run.id), RELAY_RESULTS_TOKEN: token }, hash };
  }

  /** Cancels this pipeline's in-flight runs for older commits of the same PR (or branch), never another PR's. */
  async #supersede(newer: RunRecord): Promise<void> {
    for (const older of await olderRunsToSupersede(this.ctx.store, newer)) {
      try {
        await this.cancel(older, `Superseded by ${newer.sha.slice(0, 7)}`);
      } catch (error) {
        this.ctx.log.warn({ runId: older.id, err: this.ctx.operator.masker.mask(errorMessage(error)) }, "could not cancel a superseded run");
      }
    }
  }

  async #createRun(
    input: StartInput,
    pipeline: PipelineConfig,
    options: { attempt: number; triggerKey: string | null; variables?: Record<string, string> },
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
      timeoutAt: now + timeoutMinutes * MINUTE,
      createdAt: now,
    });
    if (!created) return undefined;
    // The request carries the run id (RELAY_RUN_ID), so it is written once the row exists.
    const request = buildStoredRequest(input, pipeline, targetOf(pipeline), created.id, options.variables);
    return this.ctx.store.updateRun(created.id, { request: JSON.stringify(request) }, now);
  }
}

function withVariables<T>(request: TriggerRequest<T>, variables: Record<string, string>): TriggerRequest<T> {
  return { ...request, variables: { ...request.variables, ...variables } };
}

/** The columns that find a vendor run again, from the handle the vendor answered with. */
function vendorRunFields(handle: RunHandle): RunPatch {
  return { vendorRunId: handle.runId, webUrl: handle.webUrl ?? null, handleExtra: handle.extra ? JSON.stringify(handle.extra) : null };
}
