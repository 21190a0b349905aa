import type { RunState } from "../vendors/types.js";

/** A webhook delivery kept until the worker has handled it. */
export interface StoredEvent {
  deliveryId: string;
  name: string;
  payload: unknown;
  installationId: number;
  attempts: number;
}

/**
 * Our own lifecycle: `waiting` = held back by the pipeline's concurrency limit; `pending` = row written,
 * vendor not yet answered; `timed_out` = ended by our timeout.
 */
export type StoredRunState = "waiting" | "pending" | RunState | "awaiting_results" | "timed_out";

/** `awaiting_results`: the vendor run succeeded; the check waits for uploaded test results to judge it. */
export const ACTIVE_STATES: readonly StoredRunState[] = ["waiting", "pending", "queued", "running", "awaiting_results"];

export interface RunRecord {
  id: number;
  installationId: number;
  owner: string;
  repo: string;
  sha: string;
  pipeline: string;
  /** Branch or tag the run is for (the PR's head branch for PR runs). */
  ref: string;
  attempt: number;
  /** Set for automatic triggers: one run per repository, commit and pipeline. */
  triggerKey: string | null;
  vendor: string;
  connection: string;
  /** The TriggerRequest given to the vendor, as JSON (no credentials: those live in the operator config). */
  request: string;
  prNumber: number | null;
  state: StoredRunState;
  vendorStatus: string | null;
  vendorRunId: string | null;
  webUrl: string | null;
  handleExtra: string | null;
  checkRunId: number | null;
  reportMode: "checks" | "statuses";
  /** What GitHub should show for this run (a rendered CheckView, JSON) and its fingerprint. */
  view: string | null;
  viewKey: string | null;
  /** Fingerprint of what GitHub shows now: only a different viewKey is written. */
  reported: string | null;
  /** Why the run ended as it did, shown on GitHub. */
  note: string | null;
  /** Why we cancelled it (`/cancel`, superseded, PR closed): the title of the cancelled check. */
  cancelReason: string | null;
  /** sha256 of the run's RELAY_RESULTS_TOKEN; the token itself is never stored. */
  resultsTokenHash: string | null;
  /** While awaiting_results: when to stop waiting for an upload. */
  resultsWaitUntil: number | null;
  pollCount: number;
  nextPollAt: number | null;
  timeoutAt: number;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export type NewRun = Omit<RunRecord, "id" | "updatedAt" | "vendorStatus" | "vendorRunId" | "webUrl" | "handleExtra" | "checkRunId" | "view" | "viewKey" | "reported" | "note" | "cancelReason" | "resultsTokenHash" | "resultsWaitUntil" | "pollCount" | "nextPollAt" | "startedAt" | "finishedAt">;

export type RunPatch = Partial<Omit<RunRecord, "id" | "createdAt">>;

export interface RelayStore {
  /** false when the delivery id was stored before (a redelivery). */
  addEvent(event: Omit<StoredEvent, "attempts">, now: number): Promise<boolean>;
  /** The oldest pending event whose retry time has come. */
  nextEvent(now: number): Promise<StoredEvent | undefined>;
  finishEvent(deliveryId: string): Promise<void>;
  /** Keeps the event for another attempt at `retryAt`, or gives it up when retryAt is null. */
  failEvent(deliveryId: string, error: string, retryAt: number | null): Promise<void>;
  pendingEventCount(): Promise<number>;
  /** Forgets handled (or given-up) deliveries received before `before`; returns how many. */
  pruneEvents(before: number): Promise<number>;

  /** undefined when a run with the same triggerKey exists already. */
  createRun(run: NewRun): Promise<RunRecord | undefined>;
  updateRun(id: number, patch: RunPatch, now: number): Promise<RunRecord>;
  getRun(id: number): Promise<RunRecord | undefined>;
  getRunByTriggerKey(key: string): Promise<RunRecord | undefined>;
  /** Every attempt of every pipeline for this commit, oldest first. */
  runsForCommit(owner: string, repo: string, sha: string): Promise<RunRecord[]>;
  /** Runs of a repository, filtered; oldest first. */
  findRuns(filter: RunFilter): Promise<RunRecord[]>;
  addApproval(approval: Approval): Promise<void>;
  isApproved(owner: string, repo: string, prNumber: number, sha: string): Promise<boolean>;
  addResults(runId: number, upload: ResultUpload, now: number): Promise<void>;
  resultsFor(runId: number): Promise<ResultUpload[]>;
  /** Waiting runs (held back by a concurrency limit) of every repository, oldest first. */
  waitingRuns(): Promise<RunRecord[]>;
  /**
   * Runs the tracker must look at: polls that are due, runs whose trigger never got an answer
   * and runs whose latest view has not reached GitHub, both untouched since `staleBefore`.
   */
  dueRuns(now: number, staleBefore: number): Promise<RunRecord[]>;
  close(): void;
}

export interface RunFilter {
  owner: string;
  repo: string;
  pipeline?: string;
  prNumber?: number;
  states?: readonly StoredRunState[];
}

/** `/ok-to-test <sha>` by a trusted person: runs may start for exactly this commit of the PR. */
export interface Approval {
  owner: string;
  repo: string;
  prNumber: number;
  sha: string;
  approver: string;
  approvedAt: number;
}

/** One accepted test-results upload (JUnit XML or a JSON summary). */
export interface ResultUpload {
  format: "junit" | "summary";
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  errored: number;
  failures: import("../results/parse-junit.js").FailedTest[];
}
