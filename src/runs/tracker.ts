import { errorMessage, VendorError } from "../errors.js";
import type { RunRecord } from "../storage/types.js";
import { isFinalRunState, type RunSnapshot } from "../vendors/types.js";
import { RunConcluder } from "./conclude-run.js";
import { nextPollDelayMs } from "./next-poll-delay.js";
import type { RelayContext } from "./relay-context.js";
import type { RunService } from "./run-service.js";
import { slotsTaken } from "./run-policies.js";
import { handleOf, readStoredRequest } from "./stored-request.js";

/** A run row untouched this long is picked up again: its trigger or its GitHub write was interrupted. */
export const STALE_AFTER_MS = 2 * 60_000;

/** Polls every unfinished run until a final state or its timeout; the only place runs change state after start. */
export class Tracker {
  readonly #busy = new Set<number>();

  readonly concluder: RunConcluder;

  constructor(
    private readonly ctx: RelayContext,
    private readonly runs: RunService,
  ) {
    this.concluder = new RunConcluder(ctx, runs);
  }

  /** Starts waiting runs whose slot freed up, then handles every run that is due now. Returns how many it polled. */
  async pollDue(): Promise<number> {
    await this.#startWaiting();
    const now = this.ctx.clock();
    const due = await this.ctx.store.dueRuns(now, now - STALE_AFTER_MS);
    for (const run of due) {
      if (this.#busy.has(run.id)) continue;
      this.#busy.add(run.id);
      try {
        await this.#handle(run);
      } catch (error) {
        this.ctx.log.error({ runId: run.id, err: this.ctx.operator.masker.mask(errorMessage(error)) }, "tracking a run failed");
      } finally {
        this.#busy.delete(run.id);
      }
    }
    return due.length;
  }

  /** Waiting runs start in arrival order as their pipeline's slots free up; the others learn their new place. */
  async #startWaiting(): Promise<void> {
    for (const waiting of await this.ctx.store.waitingRuns()) {
      const run = await this.ctx.store.getRun(waiting.id);
      if (!run || run.state !== "waiting") continue;
      try {
        if (this.ctx.clock() >= run.timeoutAt) {
          await this.runs.update(run, { state: "timed_out", finishedAt: this.ctx.clock(), note: "Waited for a free slot longer than the pipeline's timeout; it never started." });
          continue;
        }
        const limit = readStoredRequest(run).concurrency ?? Number.POSITIVE_INFINITY;
        const taken = await slotsTaken(this.ctx.store, run);
        if (taken.running < limit && taken.waitingBefore === 0) await this.runs.trigger(run);
        else await this.runs.update(run, {}, { queuePosition: taken.waitingBefore + 1 });
      } catch (error) {
        this.ctx.log.error({ runId: run.id, err: this.ctx.operator.masker.mask(errorMessage(error)) }, "starting a waiting run failed");
      }
    }
  }

  async #handle(run: RunRecord): Promise<void> {
    if (run.state === "pending") {
      this.ctx.log.info({ runId: run.id }, "resuming a run whose trigger was interrupted");
      await this.runs.trigger(run);
      return;
    }
    if (run.state === "awaiting_results") {
      await this.concluder.checkAwaiting(run);
      return;
    }
    if (run.state !== "queued" && run.state !== "running") {
      await this.runs.publish(run);
      return;
    }
    if (this.ctx.clock() >= run.timeoutAt) {
      await this.#timeOut(run);
      return;
    }
    await this.#poll(run);
  }

  async #poll(run: RunRecord): Promise<void> {
    const { adapter } = this.ctx.adapters.get(run.connection);
    const request = readStoredRequest(run);
    let snapshot: RunSnapshot;
    try {
      snapshot = await adapter.getRun(handleOf(run), request.trigger.target);
    } catch (error) {
      if (error instanceof VendorError && error.retryable) {
        this.ctx.log.warn({ runId: run.id, err: this.ctx.operator.masker.mask(error.message) }, "polling failed; will try again");
        await this.ctx.store.updateRun(run.id, this.#schedule(run), this.ctx.clock());
        return;
      }
      await this.runs.fail(run, error);
      return;
    }

    const now = this.ctx.clock();
    const patch = {
      vendorStatus: snapshot.vendorStatus,
      webUrl: snapshot.webUrl ?? run.webUrl,
      startedAt: run.startedAt ?? (snapshot.state === "running" ? now : null),
      ...this.#schedule(run),
    };
    const extras = { builtSha: snapshot.builtSha, waitingForAction: snapshot.waitingForAction };
    if (!isFinalRunState(snapshot.state)) {
      await this.runs.update(run, { ...patch, state: snapshot.state }, extras);
      return;
    }
    await this.concluder.vendorFinished(run, snapshot, patch, extras);
  }

  async #timeOut(run: RunRecord): Promise<void> {
    const minutes = Math.round((run.timeoutAt - run.createdAt) / 60_000);
    let note = `Timed out after ${minutes} minutes; the vendor run was cancelled.`;
    try {
      await this.ctx.adapters.get(run.connection).adapter.cancel(handleOf(run), readStoredRequest(run).trigger.target);
    } catch (error) {
      note = `Timed out after ${minutes} minutes; cancelling the vendor run failed: ${this.ctx.operator.masker.mask(errorMessage(error))}`;
    }
    await this.runs.update(run, { state: "timed_out", finishedAt: this.ctx.clock(), nextPollAt: null, note });
  }

  #schedule(run: RunRecord) {
    const delay = nextPollDelayMs(run.pollCount, {
      initialSeconds: this.ctx.operator.tracker.poll_initial_seconds,
      maxSeconds: this.ctx.operator.tracker.poll_max_seconds,
    });
    return { pollCount: run.pollCount + 1, nextPollAt: this.ctx.clock() + delay };
  }
}
