import type { RunState } from "../vendors/types.js";

/** A webhook delivery kept until the engine has handled it. */
export interface StoredEvent {
  deliveryId: string;
  name: string;
  payload: unknown;
  installationId: number;
  attempts: number;
}

/**
 * What the webhook handler stores: `repoKey` (`owner/name`, or `installation:<id>`) orders a repository's events.
 * With `payloadJson`, `payload` may be undefined (the fast path stores the body without parsing it).
 */
export type NewEvent = Omit<StoredEvent, "attempts"> & {
  repoKey: string;
  /**
   * The payload as GitHub sent it (the fast path has it), as text or its UTF-8 bytes: stored as is instead of
   * serializing `payload` again.
   */
  payloadJson?: string | Buffer;
};

/** An event claimed by a worker: only the holder of `leaseToken` may finish or fail it. */
export interface ClaimedEvent extends StoredEvent {
  repoKey: string;
  leaseToken: string;
  /** Why the payload could not be read (then `payload` is undefined): the event is given up, not handled. */
  unreadable?: string;
}

/**
 * Our own lifecycle: `waiting` = held back by the pipeline's concurrency limit; `pending` = row written,
 * vendor not yet called; `starting` = a trigger was sent and its outcome is unknown (timeout, 5xx, crash):
 * the vendor is searched for the run before anything is sent again; `timed_out` = ended by our timeout.
 */
export type StoredRunState = "waiting" | "pending" | "starting" | RunState | "awaiting_results" | "timed_out";

/** `awaiting_results`: the vendor run succeeded; the check waits for uploaded test results to judge it. */
export const ACTIVE_STATES: readonly StoredRunState[] = ["waiting", "pending", "starting", "queued", "running", "awaiting_results"];

/**
 * Two lanes of work per run, each with its own lease: `vendor` (trigger, poll, cancel, conclude: the run's
 * state) and `github` (write the run's latest view to GitHub). A run can be polled while its view is written.
 */
export type Lane = "vendor" | "github";

/** Proof of a lease: a write fenced with it fails with LeaseLostError once another worker took the lease over. */
export interface Fence {
  lane: Lane;
  token: string;
}

export interface ClaimOptions {
  /** Who claims (process id), kept for operators looking at the rows. */
  owner: string;
  now: number;
  leaseMs: number;
  limit: number;
  /**
   * Fairness keys at capacity: their work is not claimed now. Events and the github lane: installation ids
   * (as strings); the vendor lane: connection names.
   */
  exclude?: readonly string[];
}

export interface ClaimedRun {
  run: RunRecord;
  fence: Fence;
}

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
  /** A cancel was asked for (command, supersede, PR closed); the vendor lane carries it out. */
  cancelRequested: boolean;
  /** sha256 of the run's RELAY_RESULTS_TOKEN; the token itself is never stored. */
  resultsTokenHash: string | null;
  /** While awaiting_results: when to stop waiting for an upload. */
  resultsWaitUntil: number | null;
  pollCount: number;
  /** Consecutive failed vendor calls (trigger or poll); reset by a success. */
  failures: number;
  /** When the current run of failures began (the outage limit counts from here). */
  failingSince: number | null;
  /** How many trigger requests were sent for this run (0: none yet, so no vendor run can exist). */
  triggerAttempts: number;
  /** The next time the vendor lane has work for this run (trigger, poll, retry after an outage); null when final. */
  nextPollAt: number | null;
  /** The next time the github lane should write the view; null when GitHub shows the latest view. */
  publishDueAt: number | null;
  /** Set before a check-run create is sent: after an unknown outcome the check is looked up before creating again. */
  checkCreateSentAt: number | null;
  /**
   * What a failed run's check showed beyond the row (job table, log annotations), as JSON, so a later re-render
   * (a test upload after the end) shows it again. Absent on rows read before the column existed.
   */
  reportExtras?: string | null;
  /** The vendor report's failed and passed test cases (TestCaseOutcomes JSON), for flaky tests when nothing was uploaded. */
  testOutcomes?: string | null;
  timeoutAt: number;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** Columns a new run row is created with; the others start empty (counters 0, flags false). */
export type NewRun = Omit<
  RunRecord,
  | "id" | "updatedAt" | "vendorStatus" | "vendorRunId" | "webUrl" | "handleExtra" | "checkRunId" | "view" | "viewKey" | "reported"
  | "note" | "cancelReason" | "cancelRequested" | "resultsTokenHash" | "resultsWaitUntil" | "pollCount" | "failures" | "failingSince"
  | "triggerAttempts" | "publishDueAt" | "checkCreateSentAt" | "startedAt" | "finishedAt" | "reportExtras" | "testOutcomes"
>;

export type RunPatch = Partial<Omit<RunRecord, "id" | "createdAt">>;

/** Counts for metrics and the health check. */
export interface EngineBacklog {
  pendingEvents: number;
  /** received_at of the oldest pending event whose time has come, or null. */
  oldestDueEventAt: number | null;
  /** next_poll_at / publish_due_at of the oldest due, unleased run work, or null. */
  oldestDueRunAt: number | null;
  /** Unfinished runs by vendor and state. */
  activeRuns: Array<{ vendor: string; state: StoredRunState; count: number }>;
}

export interface RelayStore {
  /** false when the delivery id was stored before (a redelivery). One durable insert: this is the ack path. */
  addEvent(event: NewEvent, now: number): Promise<boolean>;
  /**
   * Leases due events: pending, retry time come, not leased (or lease expired), installation not excluded,
   * and the oldest pending event of its repository (a repository's events are handled in arrival order).
   */
  claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]>;
  /** The same for one repository: its oldest pending event, if that is due and free (the engine's follow-up). */
  claimRepositoryHead(repoKey: string, options: ClaimOptions): Promise<ClaimedEvent | undefined>;
  /** false when the lease was lost (another worker holds the event now): nothing was written. */
  finishEvent(deliveryId: string, leaseToken: string): Promise<boolean>;
  /** Keeps the event for another attempt at `retryAt` (lease released), or gives it up when null. Fenced. */
  failEvent(deliveryId: string, leaseToken: string, error: string, retryAt: number | null): Promise<boolean>;
  /** Gives the event back untouched (shutdown): due again at once for any worker. Fenced. */
  releaseEvent(deliveryId: string, leaseToken: string): Promise<void>;
  renewEventLease(deliveryId: string, leaseToken: string, until: number): Promise<boolean>;
  pendingEventCount(): Promise<number>;
  /** Forgets handled (or given-up) deliveries received before `before` (and once-keys as old); returns how many. */
  pruneEvents(before: number): Promise<number>;
  /**
   * true the first time a key is recorded, false ever after (until pruned with the deliveries): guards a side
   * effect that must happen at most once, such as the one reply to a command comment after a crash and retry.
   */
  recordOnce(key: string, now: number): Promise<boolean>;
  /** The delivery ids among these that were stored (handled, failed or pending), until pruned with old deliveries. */
  knownDeliveries(deliveryIds: readonly string[]): Promise<Set<string>>;

  /** undefined when a run with the same triggerKey exists already. A new row's publishDueAt is null. */
  createRun(run: NewRun): Promise<RunRecord | undefined>;
  /**
   * Applies a patch. With a fence, only while that lane's lease token is still the row's (else LeaseLostError,
   * nothing written). After the patch: publishDueAt is null when viewKey is null or reported = viewKey, and
   * becomes `now` when the view is unpublished and publishDueAt was null (an explicit publishDueAt wins).
   */
  updateRun(id: number, patch: RunPatch, now: number, fence?: Fence): Promise<RunRecord>;
  /**
   * Leases due run work of one lane. vendor: state active and nextPollAt <= now; github: publishDueAt <= now.
   * Never scans finished rows (partial indexes). Oldest due first.
   */
  claimRuns(lane: Lane, options: ClaimOptions): Promise<ClaimedRun[]>;
  renewRunLease(id: number, fence: Fence, until: number): Promise<boolean>;
  /** Ends a lease early (work done or given back); the row's due times decide when it is claimed again. */
  releaseRun(id: number, fence: Fence): Promise<void>;
  getRun(id: number): Promise<RunRecord | undefined>;
  /**
   * A vendor callback's hint: the connection's active runs with this vendor run id become due for a poll now (a
   * later due time is brought forward, an earlier one kept). Changes no state. Returns how many rows it touched.
   */
  pollRunsNow(connection: string, vendorRunId: string, now: number): Promise<number>;
  getRunByTriggerKey(key: string): Promise<RunRecord | undefined>;
  /** Every attempt of every pipeline for this commit, oldest first. */
  runsForCommit(owner: string, repo: string, sha: string): Promise<RunRecord[]>;
  /** Runs of a repository, filtered; oldest first. */
  findRuns(filter: RunFilter): Promise<RunRecord[]>;
  /** Most recent runs across repositories (newest first), for the operator's runs page. */
  recentRuns(limit: number, filter?: Partial<RunFilter>): Promise<RunRecord[]>;
  addApproval(approval: Approval): Promise<void>;
  isApproved(owner: string, repo: string, prNumber: number, sha: string): Promise<boolean>;
  addResults(runId: number, upload: ResultUpload, now: number): Promise<void>;
  resultsFor(runId: number): Promise<ResultUpload[]>;
  /** Notes tests found flaky on a commit; noting the same test on the same commit again changes nothing. */
  recordFlakyTests(observation: FlakyObservation, now: number): Promise<void>;
  /** A repository's flakiest tests: most commits first, then most recent. */
  flakiestTests(owner: string, repo: string, limit: number): Promise<FlakyTestCount[]>;
  /** Forgets finished runs (and their uploads) that GitHub shows in their final state, finished before `before`. */
  pruneRuns(before: number): Promise<number>;
  backlog(now: number): Promise<EngineBacklog>;
  close(): Promise<void>;
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
  /** Passed tests of a JUnit upload (bounded; absent on summaries and on uploads stored before it existed). */
  passedTests?: import("../results/parse-junit.js").TestId[];
}

/** A test found flaky on one commit: failed in one attempt of a pipeline, passed in another. */
export interface FlakyObservation {
  owner: string;
  repo: string;
  pipeline: string;
  sha: string;
  tests: ReadonlyArray<{ suite: string; name: string }>;
}

/** How often a repository's test was flaky: on how many commits, and when last. */
export interface FlakyTestCount {
  pipeline: string;
  suite: string;
  name: string;
  commits: number;
  lastSeenAt: number;
}
