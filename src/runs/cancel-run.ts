import { errorMessage, VendorError } from "../errors.js";
import type { Fence, RunRecord } from "../storage/types.js";
import type { RunHandle } from "../vendors/types.js";
import type { RelayContext } from "./relay-context.js";
import { fitText, GITHUB_LIMITS } from "../reporting/github-limits.js";
import { retryDelayMs } from "./retry-policy.js";
import type { RunService } from "./run-service.js";
import { handleOf, type StoredRequest } from "./stored-request.js";

/** Cancel attempts that fail for a passing reason before the request is dropped with a note. */
const CANCEL_ATTEMPTS = 5;
/** The vendor gets a moment to act on a cancel before the poll that confirms it. */
const CONFIRM_CANCEL_MS = 1_000;

/**
 * Carries out a requested cancel in the vendor lane. A run that never reached the vendor just ends; a run
 * whose start is unknown is looked up first, so the run the vendor may have started is the one cancelled.
 * The check turns cancelled when a poll sees the vendor's confirmation.
 */
export async function cancelRequested(
  ctx: RelayContext,
  runs: RunService,
  run: RunRecord,
  fence: Fence,
  request: StoredRequest,
  lookUp: (run: RunRecord) => Promise<RunHandle | null | undefined>,
): Promise<void> {
  const now = ctx.clock();
  const end = (note: string | null = null) =>
    runs.update(run, { state: "cancelled", finishedAt: now, nextPollAt: null, cancelRequested: false, ...(note ? { note } : {}) }, {}, fence);
  if (run.state === "waiting" || run.state === "pending" || run.state === "awaiting_results") {
    await end();
    return;
  }
  let handle: RunHandle | null | undefined = run.vendorRunId ? handleOf(run) : undefined;
  if (!handle && run.state === "starting") {
    handle = await lookUp(run).catch(() => undefined);
    if (!handle) {
      const name = ctx.adapters.get(run.connection).vendor.displayName;
      await end(handle === null ? null : `A run may have started on ${name} before the cancel; pipeline-relay could not look for it there.`);
      return;
    }
  }
  if (!handle) {
    await end();
    return;
  }
  try {
    await ctx.adapters.get(run.connection).adapter.cancel(handle, request.trigger.target);
    const fields = run.vendorRunId ? {} : { vendorRunId: handle.runId, webUrl: handle.webUrl ?? null, handleExtra: handle.extra ? JSON.stringify(handle.extra) : null };
    await ctx.store.updateRun(run.id, { ...fields, cancelRequested: false, failures: 0, nextPollAt: now + CONFIRM_CANCEL_MS }, now, fence);
  } catch (error) {
    const message = ctx.operator.masker.mask(errorMessage(error));
    const passing = error instanceof VendorError && error.retryable;
    if (passing && run.failures + 1 < CANCEL_ATTEMPTS) {
      ctx.log.warn({ runId: run.id, err: message }, "cancelling failed; will try again");
      await ctx.store.updateRun(run.id, { failures: run.failures + 1, nextPollAt: now + retryDelayMs(run.failures) }, now, fence);
      return;
    }
    ctx.log.warn({ runId: run.id, err: message }, "cancelling failed");
    await tellWhoAsked(ctx, run, `\`/cancel\` failed: ${message}`);
    await runs.update(run, { cancelRequested: false, cancelReason: null, failures: 0, note: `Cancelling failed: ${message}`, nextPollAt: now }, {}, fence);
  }
}

/** A person's `/cancel` that the vendor refused is answered on the PR (the check shows it too). */
async function tellWhoAsked(ctx: RelayContext, run: RunRecord, text: string): Promise<void> {
  const asker = /^Cancelled by @([A-Za-z0-9-]+(?:\[bot\])?)$/.exec(run.cancelReason ?? "")?.[1];
  if (!asker || run.prNumber === null) return;
  try {
    const octokit = await ctx.github(run.installationId);
    const body = fitText(ctx.operator.masker.mask(`@${asker} ${text}`), GITHUB_LIMITS.commentBody);
    await octokit.rest.issues.createComment({ owner: run.owner, repo: run.repo, issue_number: run.prNumber, body });
  } catch (error) {
    ctx.log.warn({ runId: run.id, err: ctx.operator.masker.mask(errorMessage(error)) }, "could not tell the commenter that the cancel failed");
  }
}
