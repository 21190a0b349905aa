import type { VendorCallbacks } from "./callbacks.js";
import type { Logger } from "probot";
import type { z } from "zod";
import type { SecretMasker } from "../secrets.js";
import type { VendorHttp, VendorHttpOptions } from "./http.js";

/** Neutral run vocabulary shared by every vendor; each adapter maps its own words onto it. */
export type RunState = "queued" | "running" | "success" | "failure" | "cancelled" | "error" | "skipped";

export const FINAL_RUN_STATES: readonly RunState[] = ["success", "failure", "cancelled", "error", "skipped"];

export function isFinalRunState(state: RunState): boolean {
  return FINAL_RUN_STATES.includes(state);
}

export interface RepositoryRef {
  owner: string;
  name: string;
  /** owner/name */
  fullName: string;
  cloneUrl: string;
  htmlUrl: string;
}

export interface TriggerRequest<Target> {
  /** The pipeline's vendor block from `.github/pipelines.yml`, already validated by the vendor's targetSchema. */
  target: Target;
  repository: RepositoryRef;
  /** The GitHub commit the run is for. */
  sha: string;
  /** Short branch or tag name (no `refs/heads/`). For pull requests: the head branch. */
  ref: string;
  refType: "branch" | "tag";
  /** `fromFork`: the head branch lives in another repository (absent on runs stored before it existed). */
  pullRequest?: { number: number; headRef: string; baseRef: string; headSha: string; fromFork?: boolean };
  /** The pipeline's variables plus the RELAY_* variables. */
  variables: Readonly<Record<string, string>>;
  /** One line for the vendor's run description, naming the GitHub commit and PR. */
  description: string;
}

/** What pipeline-relay keeps to find a vendor run again, also after a restart. */
export interface RunHandle {
  runId: string;
  webUrl?: string;
  /** Vendor-specific facts needed by later calls (queue ids, task names...). Stored as JSON. */
  extra?: Record<string, string>;
}

export interface RetryResult extends RunHandle {
  /** `native`: the vendor re-ran the failed part of the same run; `new-run`: a fresh run was started. */
  mode: "native" | "new-run";
}

export interface RunSnapshot {
  state: RunState;
  /** The vendor's own status word, shown to people and logged when unknown. */
  vendorStatus: string;
  webUrl?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The commit the vendor actually built, when the vendor reports it. */
  builtSha?: string;
  /** The run waits for a person on the vendor side (a manual job or an approval gate). */
  waitingForAction?: boolean;
  /** Failing jobs or stages, with log tails where the vendor offers logs. Masked before display. */
  failureDetail?: string;
  /**
   * Set when the vendor's status word is one nobody documented (after case-insensitive matching):
   * "GitLab said `xyz`; treating it as running". Shown on the check while the word lasts.
   */
  unknownStatusNote?: string;
}

export interface TestSummary {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  errored?: number;
  /** Where the numbers came from, e.g. "GitLab test report". */
  source: string;
  /** A vendor-side threshold in percent, used when the repository config sets none. */
  vendorThreshold?: number;
}

export interface VendorAdapter<Target = unknown> {
  readonly id: string;
  trigger(req: TriggerRequest<Target>): Promise<RunHandle>;
  getRun(run: RunHandle, target: Target): Promise<RunSnapshot>;
  cancel(run: RunHandle, target: Target): Promise<void>;
  /** Vendor-native "retry failed" where it exists, else a new run from the same request. */
  retry(run: RunHandle, req: TriggerRequest<Target>): Promise<RetryResult>;
  /** null: this run has no test report. */
  getTestSummary(run: RunHandle, target: Target): Promise<TestSummary | null>;
  /**
   * Optional: finds the run a trigger request may have started although its answer was lost (timeout, 5xx,
   * crash), by the request's RELAY_RUN_ID (and commit), among runs created at or after `since` (epoch ms).
   * null: the vendor has no such run. Adapters without it cannot be searched: the engine does not re-send
   * an unconfirmed trigger unless the connection opts in (`retrigger_unconfirmed: true`).
   */
  findRun?(req: TriggerRequest<Target>, since: number): Promise<RunHandle | null>;
  /** Optional: failing jobs/stages and a log tail, fetched once when a run fails. Masked by the caller. */
  describeFailure?(run: RunHandle, target: Target): Promise<string | null>;
  /**
   * Optional: every job (or stage/step) of a finished run with its status and duration, and the last lines of
   * failed jobs' logs (bounded: see job-report.ts). Fetched once when a run fails. Masked by the caller.
   */
  describeJobs?(run: RunHandle, target: Target): Promise<JobReport | null>;
  /**
   * Optional: the test cases of a finished run's vendor test report, by suite and name (bounded), for telling
   * flaky tests when nothing was uploaded. null: the run has no such report.
   */
  listTestCases?(run: RunHandle, target: Target): Promise<TestCaseOutcomes | null>;
}

/** Which tests failed (or errored) and which passed, by suite and name. */
export interface TestCaseOutcomes {
  failed: Array<{ suite: string; name: string }>;
  passed: Array<{ suite: string; name: string }>;
}

/** Neutral job vocabulary; the vendor's own word is kept beside it. */
export type JobStatus = "failure" | "cancelled" | "running" | "queued" | "manual" | "success" | "skipped" | "unknown";

export interface JobEntry {
  name: string;
  /** Stage (GitLab, Zadig, Flow, CodeArts) or job (a CodeArts step). */
  stage?: string;
  status: JobStatus;
  vendorStatus: string;
  durationSeconds?: number;
  /** The vendor's own page for this job, where it has one. */
  webUrl?: string;
  /** The last lines of a failed job's log, for people to read. */
  logTail?: string;
  /**
   * The end of a failed job's log (at most LOG_EXCERPT_CHARS), for annotation patterns; never rendered or stored.
   */
  logExcerpt?: string;
  /** Why this failed job shows no log tail (the vendor has none, a read failed, the log budget was spent). */
  logNote?: string;
  /** The vendor's own error line for the job, when it gives one. */
  error?: string;
}

export interface JobReport {
  jobs: JobEntry[];
  /** What this vendor could not show, in one sentence each ("Zadig v1.7 tasks have no per-job logs in the API"). */
  cannotShow: string[];
}

export interface CommonConnection {
  vendor: string;
  repositories: string[];
  rate_limit: { max_concurrent: number; per_second: number };
  timeout_seconds: number;
  /** Send a trigger again after an unknown outcome even though this vendor cannot be searched (may duplicate a run). */
  retrigger_unconfirmed?: boolean;
  commands: Partial<Record<"retry" | "cancel" | "run" | "ok-to-test", { users: string[]; teams: string[] }>>;
}

export interface VendorDeps<Connection> {
  connection: Connection & CommonConnection;
  connectionName: string;
  /** Builds the one shared HTTP client (limits, retries, timeouts, masking) for this connection. */
  createHttp(options: VendorHttpOptions): VendorHttp;
  /**
   * The process-wide masker. An adapter adds every secret it obtains at run time (an IAM token) as soon
   * as it has it, so errors, logs and checks never show it.
   */
  masker: SecretMasker;
  log: Logger;
}

/** One vendor: the schemas it adds to both configurations and a factory for its adapter. */
export interface VendorModule<Connection extends object = object, Target = unknown> {
  readonly id: string;
  readonly displayName: string;
  /** Vendor-specific connection fields in the operator config (vendor, repositories, rate_limit are common). */
  readonly connectionSchema: z.ZodObject<z.ZodRawShape>;
  /** Connection fields holding credentials: they must be `${ENV}` references and are masked everywhere. */
  readonly secretFields: readonly string[];
  /** The pipeline's vendor block in `.github/pipelines.yml`. */
  readonly targetSchema: z.ZodType<Target>;
  /** Optional: rules between connection fields that a field-by-field schema cannot express; checked at start-up. */
  validateConnection?(connection: Connection): string[];
  create(deps: VendorDeps<Connection>): VendorAdapter<Target>;
  /**
   * Optional: creates on the vendor the pipeline a target's `definition` describes
   * (`pipeline-relay provision`). Returns one line per pipeline for the operator.
   */
  provision?(deps: VendorDeps<Connection>, target: Target, options: ProvisionOptions): Promise<ProvisionResult>;
  /** Optional: the vendor can notify pipeline-relay when a run changes (see src/callbacks/). */
  readonly callbacks?: VendorCallbacks;
}

export interface ProvisionOptions {
  /** Print the request bodies instead of sending them. */
  dryRun: boolean;
  /** Where dry-run output goes. */
  print: (line: string) => void;
}

export interface ProvisionResult {
  /** `created`, `exists` (the vendor already has it), `skipped` (no definition) or `dry-run`. */
  outcome: "created" | "exists" | "skipped" | "dry-run";
  message: string;
}
