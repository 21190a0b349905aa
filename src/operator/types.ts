import type { FlakyTestCount } from "../storage/types.js";
import type { RunRecord, StoredRunState } from "../storage/types.js";

/**
 * The store's counts for metrics, readiness and the runs page (the engine's `EngineBacklog`).
 * Declared here by shape so the operator surface depends on nothing but these two reads.
 */
export interface OperatorBacklog {
  pendingEvents: number;
  /** received_at of the oldest pending event whose time has come, or null. */
  oldestDueEventAt: number | null;
  /** The oldest due, unleased run work (poll or GitHub write), or null. */
  oldestDueRunAt: number | null;
  /** Unfinished runs by vendor and state. */
  activeRuns: ReadonlyArray<{ vendor: string; state: string; count: number }>;
}

export interface BacklogSource {
  backlog(now: number): Promise<OperatorBacklog>;
}

/** The columns of a run the runs page shows. */
export type RunsPageRun = Pick<
  RunRecord,
  | "id" | "owner" | "repo" | "sha" | "pipeline" | "ref" | "attempt" | "vendor" | "connection" | "prNumber" | "vendorStatus"
  | "webUrl" | "note" | "cancelReason" | "createdAt" | "startedAt" | "finishedAt"
> & { state: StoredRunState | (string & {}) };

export interface RecentRunsFilter {
  owner: string;
  repo: string;
  pipeline: string;
  states: readonly string[];
}

/** The store's `recentRuns`: newest first. */
export interface RecentRunsSource {
  recentRuns(limit: number, filter?: Partial<RecentRunsFilter>): Promise<RunsPageRun[]>;
  /** A repository's tests found flaky on the most commits (failed in one attempt, passed in another). */
  flakiestTests(owner: string, repo: string, limit: number): Promise<FlakyTestCount[]>;
}

/** Background work older than this makes /readyz fail and the runs page say "stalled". */
export const DEFAULT_MAX_DUE_AGE_SECONDS = 300;

/** RELAY_READY_MAX_AGE_SECONDS, or the default. */
export function maxDueAgeSeconds(env: NodeJS.ProcessEnv): number {
  const configured = Number(env.RELAY_READY_MAX_AGE_SECONDS);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_MAX_DUE_AGE_SECONDS;
}
