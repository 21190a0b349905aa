import type { ClaimedEvent, FlakyTestCount, RunPatch, RunRecord, ResultUpload } from "./types.js";
import { ACTIVE_STATES } from "./types.js";

/** A row as a driver returns it: SQLite gives numbers and 0/1, pg gives BIGINT as strings. */
export type Row = Record<string, unknown>;

/** Every RunRecord field and its column; the same names in both stores. */
export const RUN_COLUMNS: Record<keyof RunRecord, string> = {
  id: "id", installationId: "installation_id", owner: "owner", repo: "repo", sha: "sha", pipeline: "pipeline", ref: "ref",
  attempt: "attempt", triggerKey: "trigger_key", vendor: "vendor", connection: "connection", request: "request",
  prNumber: "pr_number", state: "state", vendorStatus: "vendor_status", vendorRunId: "vendor_run_id", webUrl: "web_url",
  handleExtra: "handle_extra", checkRunId: "check_run_id", reportMode: "report_mode", view: "view", viewKey: "view_key",
  reported: "reported", note: "note", cancelReason: "cancel_reason", cancelRequested: "cancel_requested",
  resultsTokenHash: "results_token_hash", resultsWaitUntil: "results_wait_until", pollCount: "poll_count",
  failures: "failures", failingSince: "failing_since", triggerAttempts: "trigger_attempts", nextPollAt: "next_poll_at",
  publishDueAt: "publish_due_at", checkCreateSentAt: "check_create_sent_at", timeoutAt: "timeout_at",
  createdAt: "created_at", updatedAt: "updated_at", startedAt: "started_at", finishedAt: "finished_at",
  reportExtras: "report_extras", testOutcomes: "test_outcomes",
};

/**
 * The run columns a query returns: named, not `*`, so a prepared statement's result shape stays the same when
 * a later migration adds a column (PostgreSQL rejects a cached plan whose result type changed).
 */
export const RUN_SELECT = Object.values(RUN_COLUMNS).join(", ");

/** The event columns a claim returns. */
export const EVENT_SELECT = "seq, delivery_id, name, payload, installation_id, repo_key, attempts, lease_token";

const NUMBER_FIELDS = new Set<keyof RunRecord>([
  "id", "installationId", "attempt", "prNumber", "checkRunId", "resultsWaitUntil", "pollCount", "failures", "failingSince",
  "triggerAttempts", "nextPollAt", "publishDueAt", "checkCreateSentAt", "timeoutAt", "createdAt", "updatedAt", "startedAt",
  "finishedAt",
]);

/**
 * `state IN (...)` over the active states, as literal SQL: the partial index of the vendor lane is defined with
 * this exact text, and SQLite only uses a partial index when the query repeats its condition.
 */
export const ACTIVE_STATES_SQL = `state IN (${ACTIVE_STATES.map((state) => `'${state}'`).join(", ")})`;
/** Runs the vendor lane has yet to start: claimed before polls, so a burst's triggers do not wait behind polling. */
export const START_STATES_SQL = `state IN ('waiting', 'pending', 'starting')`;

/** BIGINT columns arrive from pg as strings; ids and epoch milliseconds fit a JS number exactly. */
export function toNumber(value: unknown): number {
  return typeof value === "number" ? value : Number(value);
}

export function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

export function toRun(row: Row): RunRecord {
  const run: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(RUN_COLUMNS) as Array<[keyof RunRecord, string]>) {
    const value = row[column];
    if (field === "cancelRequested") run[field] = value === true || value === 1 || value === "1";
    else run[field] = NUMBER_FIELDS.has(field) ? toNumberOrNull(value) : (value ?? null);
  }
  return run as unknown as RunRecord;
}

/**
 * `row.payload`: the stored JSON text (the SQLite store unpacks it first, and passes what failed to unpack as
 * undefined). A payload that does not parse is handed on as `unreadable`, so one bad row fails only its own event
 * instead of every claim that reads it. The message never quotes the payload.
 */
export function toClaimedEvent(row: Row): ClaimedEvent {
  let payload: unknown;
  let unreadable: string | undefined;
  try {
    payload = JSON.parse(row.payload as string);
  } catch {
    unreadable = "its stored payload is not valid JSON";
  }
  return {
    deliveryId: row.delivery_id as string,
    name: row.name as string,
    payload,
    ...(unreadable ? { unreadable } : {}),
    installationId: toNumber(row.installation_id),
    attempts: toNumber(row.attempts),
    repoKey: row.repo_key as string,
    leaseToken: row.lease_token as string,
  };
}

export function toResultUpload(row: Row): ResultUpload {
  return {
    format: row.format as ResultUpload["format"],
    total: toNumber(row.total),
    passed: toNumber(row.passed),
    failed: toNumber(row.failed),
    skipped: toNumber(row.skipped),
    errored: toNumber(row.errored),
    failures: JSON.parse(row.failures as string),
    ...(typeof row.passed_tests === "string" ? { passedTests: JSON.parse(row.passed_tests) } : {}),
  };
}

export function toFlakyTestCount(row: Row): FlakyTestCount {
  return {
    pipeline: row.pipeline as string,
    suite: row.suite as string,
    name: row.name as string,
    commits: toNumber(row.commits),
    lastSeenAt: toNumber(row.last_seen_at),
  };
}

/**
 * The patch's defined fields as [column, value]; `undefined` means "leave as is", like an absent key. The id,
 * the creation time and updated_at (always the update's `now`) are not patched.
 */
export function patchColumns(patch: RunPatch): Array<[string, unknown]> {
  const fixed = new Set<string>(["id", "createdAt", "updatedAt"]);
  return (Object.entries(patch) as Array<[keyof RunRecord, unknown]>)
    .filter(([field, value]) => value !== undefined && field in RUN_COLUMNS && !fixed.has(field))
    .map(([field, value]) => [RUN_COLUMNS[field], value]);
}

/** Each lane's lease columns on the runs table. */
export const LANE_COLUMNS = {
  vendor: { owner: "lease_owner", token: "lease_token", until: "lease_until" },
  github: { owner: "publish_owner", token: "publish_token", until: "publish_lease_until" },
} as const;
