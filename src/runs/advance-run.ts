import type { EngineSettings } from "../engine/settings.js";
import { errorMessage, VendorError } from "../errors.js";
import { newResultsToken, resultsUrl } from "../results/results-token.js";
import type { ClaimedRun, Fence, RunPatch, RunRecord } from "../storage/types.js";
import { isFinalRunState, type RunHandle, type RunSnapshot, type TriggerRequest } from "../vendors/types.js";
import type { RunConcluder } from "./conclude-run.js";
import { callbackPollSeconds } from "../callbacks/callback-settings.js";
import { nextPollDelayMs } from "./next-poll-delay.js";
import type { RelayContext } from "./relay-context.js";
import { clockTime, lostAnswerWaitMs, outageExceeded, retryDelayMs } from "./retry-policy.js";
import type { RunService } from "./run-service.js";
import { slotsTaken } from "./run-policies.js";
import { handleOf, readStoredRequest, type StoredRequest } from "./stored-request.js";
import { knownFlakyRetryNote } from "../results/flaky-retry.js";
import { cancelRequested } from "./cancel-run.js";

/** How long a run row without its request waits for the interrupted event to be handled again. */
const INCOMPLETE_RUN_PATIENCE_MS = 15 * 60_000;
/** A waiting run looks for a free slot this often. */
const WAITING_RECHECK_MS = 5_000;

/**
 * The vendor lane: one step of a run per call, chosen by its state, ending with the next due time stored.
 * Every write is fenced by the run's lease, so a worker that lost it (a hang, a crash, another replica)
 * cannot overwrite newer state. A trigger whose outcome is unknown is looked up before it is sent again.
 */
export class RunAdvancer {
  constructor(
    private readonly ctx: RelayContext,
    private readonly runs: RunService,
    private readonly concluder: RunConcluder,
    private readonly settings: EngineSettings,
  ) {}

  async advance({ run, fence }: ClaimedRun): Promise<void> {
    let request: StoredRequest;
    try {
      request = readStoredRequest(run);
    } catch (error) {
      // Its creation was interrupted: the event that created it is handled again once its lease runs out and
      // writes the request. Only a row that stays incomplete for long ends as error.
      if (this.ctx.clock() - run.createdAt < INCOMPLETE_RUN_PATIENCE_MS) {
        await this.ctx.store.updateRun(run.id, { nextPollAt: this.ctx.clock() + 30_000 }, this.ctx.clock(), fence);
        return;
      }
      await this.runs.fail(run, error, fence);
      return;
    }
    if (this.ctx.clock() >= run.timeoutAt) return this.#timeOut(run, fence, request);
    if (run.cancelRequested) return cancelRequested(this.ctx, this.runs, run, fence, request, (r) => this.#lookUp(r, request));
    switch (run.state) {
      case "waiting":
      case "pending":
        return this.#startWhenFree(run, fence, request);
      case "starting":
        return this.#resolveUnknownStart(run, fence, request);
      case "queued":
      case "running":
        return this.#poll(run, fence, request);
      case "awaiting_results":
        return this.concluder.checkAwaiting(run, fence);
      default:
        // A final run has nothing due; clear a stray due time so it is not claimed again.
        await this.ctx.store.updateRun(run.id, { nextPollAt: null }, this.ctx.clock(), fence);
    }
  }

  /** Starts the run, or holds it back while the pipeline's concurrency limit is reached. */
  async #startWhenFree(run: RunRecord, fence: Fence, request: StoredRequest): Promise<void> {
    if (request.concurrency !== undefined) {
      const taken = await slotsTaken(this.ctx.store, run);
      if (taken.running >= request.concurrency || taken.waitingBefore > 0) {
        const patch = { state: "waiting" as const, nextPollAt: this.ctx.clock() + WAITING_RECHECK_MS };
        await this.runs.update(run, patch, { queuePosition: taken.waitingBefore + 1 }, fence);
        return;
      }
    }
    await this.#send(run, fence, request);
  }

  /**
   * Sends the trigger (or the native retry). The row says `starting` before the request leaves, so a crash or
   * a lost answer is known afterwards to need a look-up, never a blind second trigger.
   */
  async #send(run: RunRecord, fence: Fence, request: StoredRequest): Promise<void> {
    const now = this.ctx.clock();
    const results = this.#resultsVariables(run);
    const starting = await this.ctx.store.updateRun(
      run.id,
      { state: "starting", triggerAttempts: run.triggerAttempts + 1, resultsTokenHash: results.hash, nextPollAt: now + this.#unknownStartWaitMs(run) },
      now,
      fence,
    );
    const { adapter, vendor } = this.ctx.adapters.get(run.connection);
    const trigger = withVariables(request.trigger, results.variables);
    try {
      if (request.retryOf !== undefined) {
        const previous = await this.ctx.store.getRun(request.retryOf);
        if (!previous?.vendorRunId) throw new Error(`the run to retry (${request.retryOf}) has no vendor run`);
        const handle = await adapter.retry(handleOf(previous), trigger);
        const how = handle.mode === "native" ? `${vendor.displayName} re-ran the failed part of run ${previous.vendorRunId}` : `${vendor.displayName} started a new run`;
        // A native retry re-runs with the first attempt's variables: its upload token stays in use.
        const tokenHash = handle.mode === "native" ? previous.resultsTokenHash : results.hash;
        const flakyNote = await knownFlakyRetryNote(this.ctx.store, previous);
        await this.#started(starting, fence, handle, { resultsTokenHash: tokenHash, note: `Retry of attempt ${previous.attempt}: ${how}.${flakyNote}` });
        return;
      }
      await this.#started(starting, fence, await adapter.trigger(trigger), { note: null });
    } catch (error) {
      await this.#triggerFailed(starting, fence, error, request);
    }
  }

  async #started(run: RunRecord, fence: Fence, handle: RunHandle, patch: RunPatch): Promise<void> {
    await this.runs.update(
      run,
      {
        state: "queued",
        ...vendorRunFields(handle),
        failures: 0,
        failingSince: null,
        nextPollAt: this.ctx.clock() + this.ctx.operator.tracker.poll_initial_seconds * 1000,
        ...patch,
      },
      {},
      fence,
    );
  }

  /** A refusal ends the run; an outage or an unknown outcome waits (visibly) and tries again, up to the limit. */
  async #triggerFailed(run: RunRecord, fence: Fence, error: unknown, request: StoredRequest): Promise<void> {
    const vendorError = error instanceof VendorError ? error : undefined;
    if (!vendorError || (!vendorError.retryable && !vendorError.ambiguous)) {
      await this.runs.fail(run, error, fence);
      return;
    }
    if (vendorError.ambiguous && !this.#canResolve(run, request)) {
      await this.runs.fail(run, error, fence, this.#unsearchableNote(run));
      return;
    }
    await this.#waitAndRetry(run, fence, vendorError, vendorError.ambiguous ? "starting" : "pending");
  }

  async #waitAndRetry(run: RunRecord, fence: Fence, error: VendorError, state: "pending" | "starting"): Promise<void> {
    const now = this.ctx.clock();
    const failingSince = run.failingSince ?? now;
    const message = this.ctx.operator.masker.mask(errorMessage(error));
    if (outageExceeded(failingSince, now, this.settings.outage_limit_minutes)) {
      await this.runs.fail(run, error, fence, `gave up after ${this.settings.outage_limit_minutes} minutes of failed attempts; the last: `);
      return;
    }
    const nextAt = now + retryDelayMs(run.failures, error.retryAfterMs);
    const vendorName = this.ctx.adapters.get(run.connection).vendor.displayName;
    const reason = error.status ? `HTTP ${error.status}` : "no answer";
    this.ctx.log.warn({ runId: run.id, err: message, nextAttempt: nextAt }, "vendor unavailable; the run waits");
    await this.runs.update(
      run,
      { state, failures: run.failures + 1, failingSince, nextPollAt: nextAt, note: `The last attempt failed: ${message}` },
      { waitingReason: `Waiting for ${vendorName}: ${reason}; next attempt ${clockTime(nextAt)}` },
      fence,
    );
  }

  /** After an unknown outcome: adopt the run the vendor did start, or send the trigger again when it has none. */
  async #resolveUnknownStart(run: RunRecord, fence: Fence, request: StoredRequest): Promise<void> {
    if (!this.#canResolve(run, request)) {
      await this.runs.fail(run, new Error("the process stopped while the trigger was being sent"), fence, this.#unsearchableNote(run));
      return;
    }
    let found: RunHandle | null | undefined;
    try {
      found = await this.#lookUp(run, request);
    } catch (error) {
      if (error instanceof VendorError && (error.retryable || error.ambiguous)) await this.#waitAndRetry(run, fence, error, "starting");
      else await this.runs.fail(run, error, fence);
      return;
    }
    if (found) {
      this.ctx.log.info({ runId: run.id, vendorRunId: found.runId }, "adopted the vendor run an earlier trigger started");
      await this.#started(run, fence, found, { note: null });
      return;
    }
    await this.#send(run, fence, request);
  }

  /** The vendor run this row may have started (by RELAY_RUN_ID); undefined when the vendor cannot be searched. */
  async #lookUp(run: RunRecord, request: StoredRequest): Promise<RunHandle | null | undefined> {
    const { adapter } = this.ctx.adapters.get(run.connection);
    // A native retry runs again in the earlier run, which carries the earlier RELAY_RUN_ID: re-sending it is safe.
    if (request.retryOf !== undefined || !adapter.findRun) return undefined;
    return adapter.findRun(request.trigger, run.createdAt - 60_000);
  }

  /**
   * When a trigger whose answer never came (a crash, a lost lease) is looked up: after the lease, and after the
   * call's own deadline, so a request still on its way has reached the vendor or failed before anyone looks.
   */
  #unknownStartWaitMs(run: RunRecord): number {
    return lostAnswerWaitMs(this.ctx.operator.connections[run.connection]?.timeout_seconds ?? 0, this.settings.lease_seconds * 1000);
  }

  /** Whether an unknown outcome can be settled without risking a second vendor run. */
  #canResolve(run: RunRecord, request: StoredRequest): boolean {
    const { adapter } = this.ctx.adapters.get(run.connection);
    return request.retryOf !== undefined || adapter.findRun !== undefined || this.ctx.operator.connections[run.connection]?.retrigger_unconfirmed === true;
  }

  #unsearchableNote(run: RunRecord): string {
    const name = this.ctx.adapters.get(run.connection).vendor.displayName;
    return (
      `${name} did not confirm whether it started this run, and its runs cannot be searched, so pipeline-relay does not ` +
      `send the trigger again (a second run could start). Look for the run on ${name}; comment \`/retry\` to start a new attempt. Cause: `
    );
  }

  async #poll(run: RunRecord, fence: Fence, request: StoredRequest): Promise<void> {
    const { adapter } = this.ctx.adapters.get(run.connection);
    const now = this.ctx.clock();
    let snapshot: RunSnapshot;
    try {
      snapshot = await adapter.getRun(handleOf(run), request.trigger.target);
    } catch (error) {
      // Polls are tolerant: one failed or malformed answer never concludes a run; several in a row do.
      const failures = run.failures + 1;
      if (failures >= this.settings.poll_failure_limit) {
        await this.runs.fail(run, error, fence, `${failures} polls in a row failed; the last: `);
        return;
      }
      this.ctx.log.warn({ runId: run.id, err: this.ctx.operator.masker.mask(errorMessage(error)), failures }, "polling failed; will try again");
      await this.ctx.store.updateRun(run.id, { failures, failingSince: run.failingSince ?? now, ...this.#schedule(run) }, now, fence);
      return;
    }
    const patch: RunPatch = {
      vendorStatus: snapshot.vendorStatus,
      webUrl: snapshot.webUrl ?? run.webUrl,
      startedAt: run.startedAt ?? (snapshot.state === "running" ? now : null),
      failures: 0,
      failingSince: null,
      ...this.#schedule(run),
    };
    const extras = { builtSha: snapshot.builtSha, waitingForAction: snapshot.waitingForAction, unknownStatusNote: snapshot.unknownStatusNote };
    if (!isFinalRunState(snapshot.state)) {
      await this.runs.update(run, { ...patch, state: snapshot.state }, extras, fence);
      return;
    }
    await this.concluder.vendorFinished(run, snapshot, patch, extras, fence);
  }

  async #timeOut(run: RunRecord, fence: Fence, request: StoredRequest): Promise<void> {
    const minutes = Math.round((run.timeoutAt - run.createdAt) / 60_000);
    let note = `Timed out after ${minutes} minutes; the vendor run was cancelled.`;
    if (run.vendorRunId === null) note = `Timed out after ${minutes} minutes before the vendor started it.`;
    else {
      try {
        await this.ctx.adapters.get(run.connection).adapter.cancel(handleOf(run), request.trigger.target);
      } catch (error) {
        note = `Timed out after ${minutes} minutes; cancelling the vendor run failed: ${this.ctx.operator.masker.mask(errorMessage(error))}`;
      }
    }
    await this.runs.update(run, { state: "timed_out", finishedAt: this.ctx.clock(), nextPollAt: null, note }, {}, fence);
  }

  #schedule(run: RunRecord) {
    // A connection with vendor callbacks is told when a run changes: polling is only the safety net then.
    const slowPollSeconds = callbackPollSeconds(this.ctx.operator.connections, run.connection);
    const delay = slowPollSeconds !== undefined ? slowPollSeconds * 1000 : nextPollDelayMs(run.pollCount, {
      initialSeconds: this.ctx.operator.tracker.poll_initial_seconds,
      maxSeconds: this.ctx.operator.tracker.poll_max_seconds,
    });
    return { pollCount: run.pollCount + 1, nextPollAt: this.ctx.clock() + delay };
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
}

function withVariables<T>(request: TriggerRequest<T>, variables: Record<string, string>): TriggerRequest<T> {
  return { ...request, variables: { ...request.variables, ...variables } };
}

/** The columns that find a vendor run again, from the handle the vendor answered with. */
export function vendorRunFields(handle: RunHandle): RunPatch {
  return { vendorRunId: handle.runId, webUrl: handle.webUrl ?? null, handleExtra: handle.extra ? JSON.stringify(handle.extra) : null };
}
