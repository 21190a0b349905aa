import { errorMessage } from "../errors.js";
import { checkName, statusOf } from "../github/octokit.js";
import { keepCheckCreateInDoubt, PublishCheckError, publishReport } from "../github/publish-report.js";
import type { CheckView } from "../reporting/render-report.js";
import type { ClaimedRun } from "../storage/types.js";
import type { RelayContext } from "./relay-context.js";
import { lostAnswerWaitMs } from "./retry-policy.js";

/** A failed GitHub write is tried again after this (or GitHub's Retry-After, when longer). */
const GITHUB_RETRY_MS = 15_000;
/** After a create whose answer was lost, GitHub's check-run list may lag: wait at least this long before looking. */
const LOST_CREATE_RETRY_MS = 30_000;

/** How long after a lost create to look for it: past GitHub's request deadline (the create has landed or failed). */
function lostCreateWaitMs(ctx: RelayContext): number {
  return lostAnswerWaitMs(ctx.operator.github.request_timeout_seconds, LOST_CREATE_RETRY_MS);
}

/**
 * The GitHub lane: writes a run's latest view. Views coalesce: whatever happened since the last write
 * (queued → running → success) costs one write. Before a check run is first created the row records that a
 * create is on its way, so after a lost answer or a crash the check is looked up by external_id, not created twice.
 */
export async function publishRun(ctx: RelayContext, { run, fence }: ClaimedRun, signal?: AbortSignal): Promise<void> {
  if (run.view === null || run.viewKey === run.reported) return;
  const lookedUp = run.checkCreateSentAt !== null;
  // A create sent moments ago by a worker that crashed or lost its lease may still land: looking now could miss
  // it and create a second check run. Its answer is due within GitHub's request deadline; look after that.
  const settled = (run.checkCreateSentAt ?? 0) + lostCreateWaitMs(ctx);
  if (lookedUp && ctx.clock() < settled) {
    await ctx.store.updateRun(run.id, { publishDueAt: settled }, ctx.clock(), fence);
    return;
  }
  const view = JSON.parse(run.view) as CheckView;
  try {
    const octokit = await ctx.github(run.installationId);
    const result = await publishReport(
      octokit,
      {
        owner: run.owner,
        repo: run.repo,
        sha: run.sha,
        name: checkName(run.pipeline),
        mode: run.reportMode,
        checkRunId: run.checkRunId,
        detailsUrl: run.webUrl,
        externalId: String(run.id),
        lookupFirst: lookedUp,
        // Durable before the request leaves, and fenced: a worker whose lease was taken over sends no create.
        beforeCreate: async () => {
          signal?.throwIfAborted();
          await ctx.store.updateRun(run.id, { checkCreateSentAt: ctx.clock() }, ctx.clock(), fence);
        },
      },
      view,
      ctx.operator.masker,
    );
    const inDoubt = keepCheckCreateInDoubt(lookedUp, result, view.status === "completed");
    await ctx.store.updateRun(
      run.id,
      { reported: run.viewKey, checkRunId: result.checkRunId, reportMode: result.mode, ...(inDoubt ? {} : { checkCreateSentAt: null }) },
      ctx.clock(),
      fence,
    );
  } catch (error) {
    const lost = error instanceof PublishCheckError && error.createOutcome === "unknown";
    const wait = Math.max(lost ? lostCreateWaitMs(ctx) : GITHUB_RETRY_MS, Math.min(retryAfterMs(error) ?? 0, 15 * 60_000));
    const nextAt = ctx.clock() + wait;
    ctx.log.warn({ runId: run.id, status: statusOf(error), err: ctx.operator.masker.mask(errorMessage(error)), nextAttempt: nextAt }, "could not write the run's state to GitHub; will try again");
    const clear = error instanceof PublishCheckError && !keepCheckCreateInDoubt(lookedUp, error, false);
    await ctx.store.updateRun(run.id, { publishDueAt: nextAt, ...(clear ? { checkCreateSentAt: null } : {}) }, ctx.clock(), fence);
  }
}

/** GitHub's Retry-After (secondary limits) in ms, when the error carries the response headers. */
function retryAfterMs(error: unknown): number | undefined {
  const cause = error instanceof PublishCheckError ? error.cause : error;
  const headers = (cause as { response?: { headers?: Record<string, string | undefined> } } | null)?.response?.headers;
  const value = Number(headers?.["retry-after"]);
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}
