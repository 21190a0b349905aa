import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { LeaseLostError } from "../errors.js";
import { MIGRATIONS } from "./migrations.js";
import { LANE_COLUMNS, RUN_COLUMNS, patchColumns, toClaimedEvent, toNumber, toNumberOrNull, toResultUpload, toRun } from "./rows.js";
import type { Row } from "./rows.js";
import { NEW_RUN_FIELDS, createRunSql, runFilterSql, updateRunSql } from "./run-sql.js";
import { engineSql } from "./engine-sql.js";
import type {
  Approval, ClaimOptions, ClaimedEvent, ClaimedRun, EngineBacklog, Fence, Lane, NewEvent, NewRun, RelayStore, ResultUpload,
  RunFilter, RunPatch, RunRecord, StoredRunState,
} from "./types.js";

const SQLITE_SQL = engineSql("sqlite");

/** The default store: one SQLite file (WAL), zero setup, one process. `:memory:` for tests. */
export class SqliteStore implements RelayStore {
  readonly #db: Database.Database;
  /** Every statement is prepared once, keyed by its text (updateRun's text depends on the patched columns). */
  readonly #statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma("journal_mode = WAL");
    // WAL + NORMAL: a commit survives a process crash; only an OS crash or power loss may lose the last ones.
    this.#db.pragma("synchronous = NORMAL");
    this.#db.pragma("busy_timeout = 5000");
    this.#db.function("relay_lease_token", { deterministic: false }, () => randomUUID());
    this.#migrate();
  }

  #migrate(): void {
    const current = this.#db.pragma("user_version", { simple: true }) as number;
    for (const [index, sql] of MIGRATIONS.entries()) {
      const version = index + 1;
      if (version <= current) continue;
      this.#db.transaction(() => {
        this.#db.exec(sql);
        this.#db.pragma(`user_version = ${version}`);
      })();
    }
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  async addEvent(event: NewEvent, now: number): Promise<boolean> {
    const { changes } = this.#statement(SQLITE_SQL.addEvent).run({
      delivery_id: event.deliveryId, name: event.name, payload: JSON.stringify(event.payload),
      installation_id: event.installationId, repo_key: event.repoKey, now,
    });
    return changes === 1;
  }

  async claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]> {
    const rows = this.#statement(SQLITE_SQL.claimEvents).all(claimParams(options)) as Row[];
    return rows.sort((a, b) => toNumber(a.seq) - toNumber(b.seq)).map(toClaimedEvent);
  }

  async finishEvent(deliveryId: string, leaseToken: string): Promise<boolean> {
    return this.#statement(SQLITE_SQL.finishEvent).run({ delivery_id: deliveryId, token: leaseToken }).changes === 1;
  }

  async failEvent(deliveryId: string, leaseToken: string, error: string, retryAt: number | null): Promise<boolean> {
    const params = { delivery_id: deliveryId, token: leaseToken, error, retry_at: retryAt };
    return this.#statement(SQLITE_SQL.failEvent).run(params).changes === 1;
  }

  async releaseEvent(deliveryId: string, leaseToken: string): Promise<void> {
    this.#statement(SQLITE_SQL.releaseEvent).run({ delivery_id: deliveryId, token: leaseToken });
  }

  async renewEventLease(deliveryId: string, leaseToken: string, until: number): Promise<boolean> {
    return this.#statement(SQLITE_SQL.renewEvent).run({ delivery_id: deliveryId, token: leaseToken, until }).changes === 1;
  }

  async pendingEventCount(): Promise<number> {
    return toNumber((this.#statement(SQLITE_SQL.pendingEventCount).get() as Row).n);
  }

  async pruneEvents(before: number): Promise<number> {
    return this.#statement(SQLITE_SQL.pruneEvents).run({ before }).changes;
  }

  async createRun(run: NewRun): Promise<RunRecord | undefined> {
    const params: Record<string, unknown> = {};
    for (const field of NEW_RUN_FIELDS) params[RUN_COLUMNS[field]] = run[field] ?? null;
    // Only a duplicate trigger key is expected; any other constraint failure throws.
    const row = this.#statement(createRunSql()).get(params) as Row | undefined;
    return row && toRun(row);
  }

  async updateRun(id: number, patch: RunPatch, now: number, fence?: Fence): Promise<RunRecord> {
    const columns = patchColumns(patch);
    const params: Record<string, unknown> = { id, now };
    for (const [column, value] of columns) params[column] = typeof value === "boolean" ? Number(value) : value;
    if (fence) params.token = fence.token;
    const sql = updateRunSql(columns.map(([column]) => column), fence?.lane);
    const row = this.#statement(sql).get(params) as Row | undefined;
    if (row) return toRun(row);
    if (fence) throw new LeaseLostError(`run ${id} (${fence.lane} lane)`);
    throw new Error(`run ${id} does not exist`);
  }

  async claimRuns(lane: Lane, options: ClaimOptions): Promise<ClaimedRun[]> {
    const rows = this.#statement(SQLITE_SQL.claimRuns[lane]).all(claimParams(options)) as Row[];
    const due = lane === "vendor" ? RUN_COLUMNS.nextPollAt : RUN_COLUMNS.publishDueAt;
    return rows
      .sort((a, b) => toNumber(a[due]) - toNumber(b[due]) || toNumber(a.id) - toNumber(b.id))
      .map((row) => ({ run: toRun(row), fence: { lane, token: row[LANE_COLUMNS[lane].token] as string } }));
  }

  async renewRunLease(id: number, fence: Fence, until: number): Promise<boolean> {
    return this.#statement(SQLITE_SQL.renewRun[fence.lane]).run({ id, token: fence.token, until }).changes === 1;
  }

  async releaseRun(id: number, fence: Fence): Promise<void> {
    this.#statement(SQLITE_SQL.releaseRun[fence.lane]).run({ id, token: fence.token });
  }

  async getRun(id: number): Promise<RunRecord | undefined> {
    const row = this.#statement(`SELECT * FROM runs WHERE id = ?`).get(id) as Row | undefined;
    return row && toRun(row);
  }

  async getRunByTriggerKey(key: string): Promise<RunRecord | undefined> {
    const row = this.#statement(`SELECT * FROM runs WHERE trigger_key = ?`).get(key) as Row | undefined;
    return row && toRun(row);
  }

  async runsForCommit(owner: string, repo: string, sha: string): Promise<RunRecord[]> {
    const rows = this.#statement(`SELECT * FROM runs WHERE owner = ? AND repo = ? AND sha = ? ORDER BY id`).all(owner, repo, sha);
    return (rows as Row[]).map(toRun);
  }

  async findRuns(filter: RunFilter): Promise<RunRecord[]> {
    const { where, params } = runFilterSql(filter, "sqlite");
    return (this.#statement(`SELECT * FROM runs ${where} ORDER BY id`).all(params) as Row[]).map(toRun);
  }

  async recentRuns(limit: number, filter: Partial<RunFilter> = {}): Promise<RunRecord[]> {
    const { where, params } = runFilterSql(filter, "sqlite");
    const rows = this.#statement(`SELECT * FROM runs ${where} ORDER BY id DESC LIMIT @limit`).all({ ...params, limit });
    return (rows as Row[]).map(toRun);
  }

  async addApproval(approval: Approval): Promise<void> {
    this.#statement(`INSERT OR REPLACE INTO approvals (owner, repo, pr_number, sha, approver, approved_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(approval.owner, approval.repo, approval.prNumber, approval.sha, approval.approver, approval.approvedAt);
  }

  async isApproved(owner: string, repo: string, prNumber: number, sha: string): Promise<boolean> {
    const sql = `SELECT 1 FROM approvals WHERE owner = ? AND repo = ? AND pr_number = ? AND sha = ?`;
    return this.#statement(sql).get(owner, repo, prNumber, sha) !== undefined;
  }

  async addResults(runId: number, upload: ResultUpload, now: number): Promise<void> {
    this.#statement(
      `INSERT INTO result_uploads (run_id, format, total, passed, failed, skipped, errored, failures, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(runId, upload.format, upload.total, upload.passed, upload.failed, upload.skipped, upload.errored, JSON.stringify(upload.failures), now);
  }

  async resultsFor(runId: number): Promise<ResultUpload[]> {
    return (this.#statement(`SELECT * FROM result_uploads WHERE run_id = ? ORDER BY id`).all(runId) as Row[]).map(toResultUpload);
  }

  async pruneRuns(before: number): Promise<number> {
    return this.#db.transaction(() => {
      this.#statement(`DELETE FROM result_uploads WHERE run_id IN (${SQLITE_SQL.prunableRunIds})`).run({ before });
      return this.#statement(`DELETE FROM runs WHERE id IN (${SQLITE_SQL.prunableRunIds})`).run({ before }).changes;
    })();
  }

  async backlog(now: number): Promise<EngineBacklog> {
    const events = this.#statement(SQLITE_SQL.eventBacklog).get({ now }) as Row;
    const vendorDue = this.#statement(SQLITE_SQL.oldestDueRun.vendor).get({ now }) as Row;
    const githubDue = this.#statement(SQLITE_SQL.oldestDueRun.github).get({ now }) as Row;
    const dueTimes = [toNumberOrNull(vendorDue.due), toNumberOrNull(githubDue.due)].filter((due): due is number => due !== null);
    const active = this.#statement(SQLITE_SQL.activeRuns).all() as Row[];
    return {
      pendingEvents: toNumber(events.pending),
      oldestDueEventAt: toNumberOrNull(events.oldest_due),
      oldestDueRunAt: dueTimes.length ? Math.min(...dueTimes) : null,
      activeRuns: active.map((row) => ({ vendor: row.vendor as string, state: row.state as StoredRunState, count: toNumber(row.n) })),
    };
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}

function claimParams(options: ClaimOptions): Record<string, unknown> {
  return {
    owner: options.owner, now: options.now, until: options.now + options.leaseMs, limit: options.limit,
    exclude: JSON.stringify(options.exclude ?? []),
  };
}
