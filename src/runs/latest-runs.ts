import type { RunRecord } from "../storage/types.js";
import type { CheckView } from "../reporting/render-report.js";

/** The newest attempt of each pipeline, from runsForCommit (oldest first). */
export function latestRuns(runs: readonly RunRecord[]): Map<string, RunRecord> {
  const latest = new Map<string, RunRecord>();
  for (const run of runs) {
    const seen = latest.get(run.pipeline);
    if (!seen || run.attempt >= seen.attempt) latest.set(run.pipeline, run);
  }
  return latest;
}

export function isActive(run: RunRecord): boolean {
  return ["waiting", "pending", "starting", "queued", "running", "awaiting_results"].includes(run.state);
}

/** Ended in a way `/retry` repairs: failed (also by the test threshold), cancelled, timed out or errored. */
export function needsRetry(run: RunRecord): boolean {
  if (isActive(run)) return false;
  const view = run.view ? (JSON.parse(run.view) as CheckView) : undefined;
  return view?.conclusion !== "success" && view?.conclusion !== "neutral";
}
