import { LANE_COLUMNS, RUN_COLUMNS } from "./rows.js";
import type { Lane, NewRun, RunFilter } from "./types.js";

/**
 * The one UPDATE behind `updateRun`, for both stores, with named parameters (`@column`, `@now`, `@id`, `@token`).
 * It also keeps publish_due_at true to the row in the same statement: null when there is nothing to publish (no
 * view, or GitHub shows it), an explicit value from the patch when one was given (the github lane's backoff), else
 * the time the view became unpublished. SET expressions see the old row, so the patch's own view_key / reported
 * are used where the patch sets them.
 */
export function updateRunSql(columns: readonly string[], lane: Lane | undefined): string {
  const set = columns.filter((column) => column !== "publish_due_at" && column !== "updated_at");
  const viewKey = set.includes("view_key") ? "CAST(@view_key AS TEXT)" : "view_key";
  const reported = set.includes("reported") ? "CAST(@reported AS TEXT)" : "reported";
  const due = columns.includes("publish_due_at") ? "CAST(@publish_due_at AS BIGINT)" : "COALESCE(publish_due_at, @now)";
  const assignments = [
    ...set.map((column) => `${column} = @${column}`),
    "updated_at = @now",
    `publish_due_at = CASE WHEN ${viewKey} IS NULL OR ${reported} IS NOT DISTINCT FROM ${viewKey} THEN NULL ELSE ${due} END`,
  ];
  const fence = lane ? ` AND ${LANE_COLUMNS[lane].token} = @token` : "";
  return `UPDATE runs SET ${assignments.join(", ")} WHERE id = @id${fence} RETURNING *`;
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
    ON CONFLICT (trigger_key) DO NOTHING RETURNING *`;
}

// Compile-time check that NEW_RUN_FIELDS names every NewRun field (a new one must be stored, not dropped).
const newRunFieldsComplete: [Exclude<keyof NewRun, (typeof NEW_RUN_FIELDS)[number]>] extends [never] ? true : false = true;
void newRunFieldsComplete;
