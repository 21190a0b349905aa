import { LANE_COLUMNS, RUN_COLUMNS, RUN_SELECT, toNumber, toNumberOrNull, toRun } from "./rows.js";
import type { Row } from "./rows.js";
import type {
  Approval, ClaimOptions, ClaimedRun, EngineBacklog, Lane, NewEvent, NewRun, ResultUpload, FlakyObservation, RunFilter, StoredRunState,
} from "./types.js";

/**
 * The one UPDATE behind `updateRun`, for both stores, with named parameters (`@column`, `@now`, `@id`, `@token`).
 * It also keeps publish_due_at true to the row in the same statement: null when there is nothing to publish (no
 * view, or GitHub shows it), an explicit value from the patch when one was given (the github lane's backoff), else
 * the time the view became unpublished. SET expressions see the old row, so the patch's own view_key / reported
 * are used where the patch sets them.
 */
/**
 * A callback hint that arrived while the vendor lane held the run (poll_hint_at set after the claim cleared it)
 * brings the next time forward to now: the poll in flight may have read the vendor before the change.
 */
const NEXT_POLL_KEEPING_HINT =
  
  "next_poll_at = CASE WHEN poll_hint_at IS NOT NULL AND CAST(@next_poll_at AS BIGINT) > CAST(@now AS BIGINT) THEN CAST(@now AS BIGINT) ELSE CAST(@next_poll_at AS BIGINT) END";

export function updateRunSql(columns: readonly string[], lane: Lane | undefined): string {
  const set = columns.filter((column) => column !== "publish_due_at" && column !== "updated_at");
  const viewKey = set.includes("view_key") ? "CAST(@view_key AS TEXT)" : "view_key";
  const reported = set.includes("reported") ? "CAST(@reported AS TEXT)" : "reported";
  const due = columns.includes("publish_due_at") ? "CAST(@publish_due_at AS BIGINT)" : "COALESCE(publish_due_at, @now)";
  const assignments = [
    ...set.map((column) => (column === "next_poll_at" && lane === "vendor" ? NEXT_POLL_KEEPING_HINT : `${column} = @${column}`)),
    ...(set.includes("next_poll_at") && lane === "vendor" ? ["poll_hint_at = NULL"] : []),
    "updated_at = @now",
    `publish_due_at = CASE WHEN ${viewKey} IS NULL OR ${reported} IS NOT DISTINCT FROM ${viewKey} THEN NULL ELSE ${due} END`,
  ];
  const fence = lane ? ` AND ${LANE_COLUMNS[lane].token} = @token` : "";
  return `UPDATE runs SET ${assignments.join(", ")} WHERE id = @id${fence} RETURNING ${RUN_SELECT}`;
}

/** Rewrites `@name` parameters to PostgreSQL's `$n`, returning the names in position order. */
export function toPositional(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  const text = sql.replace(/@([a-z_][a-z0-9_]*)/gi, (_match, name: string) => {
    let index = names.indexOf(name);
    if (index === -1) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text, names };
}

/** The WHERE clause of findRuns / recentRuns, with named parameters; only `state` lists differ between the stores. */
export function runFilterSql(
  filter: Partial<RunFilter>,
  dialect: "sqlite" | "postgres",
): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  for (const [field, column] of [["owner", "owner"], ["repo", "repo"], ["pipeline", "pipeline"], ["prNumber", "pr_number"]] as const) {
    if (filter[field] === undefined) continue;
    clauses.push(`${column} = @${column}`);
    params[column] = filter[field];
  }
  if (filter.states) {
    clauses.push(dialect === "sqlite" ? "state IN (SELECT value FROM json_each(@states))" : "state = ANY(CAST(@states AS TEXT[]))");
    params.states = dialect === "sqlite" ? JSON.stringify(filter.states) : [...filter.states];
  }
  return { where: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

/** Fields a new run row is written with; every other column starts at its default (counters 0, flags false). */
export const NEW_RUN_FIELDS = [
  "installationId", "owner", "repo", "sha", "pipeline", "ref", "attempt", "triggerKey", "vendor", "connection", "request",
  "prNumber", "state", "reportMode", "nextPollAt", "timeoutAt", "createdAt",
] as const satisfies ReadonlyArray<keyof NewRun>;

/** The INSERT behind createRun (named parameters by column); a duplicate trigger key inserts nothing. */
export function createRunSql(): string {
  const columns = NEW_RUN_FIELDS.map((field) => RUN_COLUMNS[field]);
  return `INSERT INTO runs (${columns.join(", ")}, updated_at) VALUES (${columns.map((column) => `@${column}`).join(", ")}, @created_at)
    ON CONFLICT (trigger_key) DO NOTHING RETURNING ${RUN_SELECT}`;
}

// Compile-time check that NEW_RUN_FIELDS names every NewRun field (a new one must be stored, not dropped).
const newRunFieldsComplete: [Exclude<keyof NewRun, (typeof NEW_RUN_FIELDS)[number]>] extends [never] ? true : false = true;
void newRunFieldsComplete;

/** A new event's payload as JSON: as received when the webhook path has it, else serialized. */
export function payloadJsonOf(event: NewEvent): string | Buffer {
  return event.payloadJson ?? JSON.stringify(event.payload);
}

/** Named parameters shared by both stores. */
export const params = {
  newRun(run: NewRun): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const field of NEW_RUN_FIELDS) values[RUN_COLUMNS[field]] = run[field] ?? null;
    return values;
  },
  claim(options: ClaimOptions): Record<string, unknown> {
    return {
      owner: options.owner, now: options.now, until: options.now + options.leaseMs, limit: options.limit,
      exclude: JSON.stringify(options.exclude ?? []),
    };
  },
  /** `payload`: the column's value, as the store keeps it (see payloadJsonOf). */
  event(event: NewEvent, now: number, payload: unknown): Record<string, unknown> {
    return { delivery_id: event.deliveryId, name: event.name, payload, installation_id: event.installationId, repo_key: event.repoKey, now };
  },
  approval(approval: Approval): Record<string, unknown> {
    return {
      owner: approval.owner, repo: approval.repo, pr_number: approval.prNumber, sha: approval.sha,
      approver: approval.approver, approved_at: approval.approvedAt,
    };
  },
  results(runId: number, upload: ResultUpload, now: number): Record<string, unknown> {
    return {
      run_id: runId, format: upload.format, total: upload.total, passed: upload.passed, failed: upload.failed,
      skipped: upload.skipped, errored: upload.errored, failures: JSON.stringify(upload.failures),
      passed_tests: upload.passedTests ? JSON.stringify(upload.passedTests) : null, now,
    };
  },
};

/** Claimed rows in the order they were due (RETURNING gives no order). */
export function byDue(lane: Lane): (a: Row, b: Row) => number {
  const due = lane === "vendor" ? RUN_COLUMNS.nextPollAt : RUN_COLUMNS.publishDueAt;
  return (a, b) => toNumber(a[due]) - toNumber(b[due]) || toNumber(a.id) - toNumber(b.id);
}

export function toClaimedRun(lane: Lane): (row: Row) => ClaimedRun {
  return (row) => ({ run: toRun(row), fence: { lane, token: row.fence_token as string } });
}

export function bySeq(a: Row, b: Row): number {
  return toNumber(a.seq) - toNumber(b.seq);
}

export function toBacklog(events: Row, dueTimes: unknown[], active: Row[]): EngineBacklog {
  const due = dueTimes.map(toNumberOrNull).filter((time): time is number => time !== null);
  return {
    pendingEvents: toNumber(events.pending),
    oldestDueEventAt: toNumberOrNull(events.oldest_due),
    oldestDueRunAt: due.length ? Math.min(...due) : null,
    activeRuns: active.map((row) => ({ vendor: row.vendor as string, state: row.state as StoredRunState, count: toNumber(row.n) })),
  };
}

/** The named parameters of one flaky-test row. */
export function flakyRow(observation: FlakyObservation, test: { suite: string; name: string }, now: number): Record<string, unknown> {
  return { owner: observation.owner, repo: observation.repo, pipeline: observation.pipeline, sha: observation.sha, suite: test.suite, name: test.name, now };
}
