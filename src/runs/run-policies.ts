import { ACTIVE_STATES, type RelayStore, type RunRecord } from "../storage/types.js";

const RUNNING_STATES = ["starting", "queued", "running"] as const;

/** The next attempt number of a pipeline on a commit. */
export function nextAttempt(runsOfCommit: readonly RunRecord[], pipeline: string): number {
  return Math.max(0, ...runsOfCommit.filter((r) => r.pipeline === pipeline).map((r) => r.attempt)) + 1;
}

/** Runs holding a concurrency slot of the pipeline in the repository, and waiting runs that arrived earlier. */
export async function slotsTaken(store: RelayStore, run: RunRecord): Promise<{ running: number; waitingBefore: number }> {
  const active = await store.findRuns({ owner: run.owner, repo: run.repo, pipeline: run.pipeline, states: ACTIVE_STATES });
  return {
    running: active.filter((r) => r.id !== run.id && (RUNNING_STATES as readonly string[]).includes(r.state)).length,
    // Older runs that have not started yet go first, whether they wait already or were just created.
    waitingBefore: active.filter((r) => (r.state === "waiting" || r.state === "pending") && r.id < run.id).length,
  };
}

/** Same pipeline, older commit, same PR, or same branch for push runs; never another PR's runs. */
export async function olderRunsToSupersede(store: RelayStore, newer: RunRecord): Promise<RunRecord[]> {
  const active = await store.findRuns({ owner: newer.owner, repo: newer.repo, pipeline: newer.pipeline, states: ACTIVE_STATES });
  return active.filter(
    (run) =>
      run.id < newer.id &&
      run.sha !== newer.sha &&
      (newer.prNumber !== null ? run.prNumber === newer.prNumber : run.prNumber === null && run.ref === newer.ref),
  );
}
