import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { MIGRATIONS } from "./migrations.js";
import type { Approval, NewRun, RelayStore, ResultUpload, RunFilter, RunPatch, RunRecord, StoredEvent } from "./types.js";

type Row = Record<string, unknown>;

const RUN_COLUMNS: Record<keyof RunRecord, string> = {
  id: "id", installationId: "installation_id", owner: "owner", repo: "repo", sha: "sha", pipeline: "pipeline", ref: "ref",
  attempt: "attempt", triggerKey: "trigger_key", vendor: "vendor", connection: "connection", request: "request",
  prNumber: "pr_number", state: "state", vendorStatus: "vendor_status", vendorRunId: "vendor_run_id", webUrl: "web_url",
  handleExtra: "handle_extra", checkRunId: "check_run_id", reportMode: "report_mode", view: "view", viewKey: "view_key", reported: "reported", note: "note", cancelReason: "cancel_reason", resultsTokenHash: "results_token_hash", resultsWaitUntil: "results_wait_until",
  pollCount: "poll_count", nextPollAt: "next_poll_at", timeoutAt: "timeout_at", createdAt: "created_at",
  updatedAt: "updated_at", startedAt: "started_at", finishedAt: "finished_at",
};

/** The default store: one SQLite file, zero setup. `:memory:` for tests. */
export class SqliteStore implements RelayStore {
  readonly #db: Database.Database;

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("busy_timeout = 5000");
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

  async addEvent(event: Omit<StoredEvent, "attempts">, now: number): Promise<boolean> {
    const result = this.#db
      .prepare(
        `INSERT OR IGNORE INTO events (delivery_id, name, payload, installation_id, status, attempts, next_attempt_at, received_at)
         VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)`,
      )
      .run(event.deliveryId, event.name, JSON.stringify(event.payload), event.installationId, now, now);
    return result.changes === 1;
  }

  async nextEvent(now: number): Promise<StoredEvent | undefined> {
    const row = this.#db
      .prepare(`SELECT * FROM events WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY received_at, rowid LIMIT 1`)
      .get(now) as Row | undefined;
    if (!row) return undefined;
    return {
      deliveryId: row.delivery_id as string,
      name: row.name as string,
      payload: JSON.parse(row.payload as string),
      installationId: row.installation_id as number,
      attempts: row.attempts as number,
    };
  }

  async finishEvent(deliveryId: string): Promise<void> {
    // The payload is no longer needed; the row stays so a redelivery is still recognised.
    this.#db.prepare(`UPDATE events SET status = 'done', payload = '{}' WHERE delivery_id = ?`).run(deliveryId);
  }

  async failEvent(deliveryId: string, error: string, retryAt: number | null): Promise<void> {
    this.#db
      .prepare(
        `UPDATE events SET attempts = attempts + 1, last_error = ?, status = ?, next_attempt_at = COALESCE(?, next_attempt_at)
         WHERE delivery_id = ?`,
      )
      .run(error, retryAt === null ? "failed" : "pending", retryAt, deliveryId);
  }

  async pendingEventCount(): Promise<number> {
    return (this.#db.prepare(`SELECT COUNT(*) AS n FROM events WHERE status = 'pending'`).get() as { n: number }).n;
  }

  async pruneEvents(before: number): Promise<number> {
    return this.#db.prepare(`DELETE FROM events WHERE status != 'pending' AND received_at < ?`).run(before).changes;
  }

  async createRun(run: NewRun): Promise<RunRecord | undefined> {
    const keys = Object.keys(run) as Array<keyof NewRun>;
    const columns = [...keys.map((key) => RUN_COLUMNS[key]), "updated_at", "poll_count"];
    const result = this.#db
      // Only a duplicate trigger key is expected; any other constraint failure must throw, not vanish.
      .prepare(`INSERT INTO runs (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ON CONFLICT (trigger_key) DO NOTHING`)
      .run(...keys.map((key) => run[key]), run.createdAt, 0);
    if (result.changes === 0) return undefined;
    return this.getRun(Number(result.lastInsertRowid));
  }

  async updateRun(id: number, patch: RunPatch, now: number): Promise<RunRecord> {
    const entries = Object.entries({ ...patch, updatedAt: now }) as Array<[keyof RunRecord, unknown]>;
    this.#db
      .prepare(`UPDATE runs SET ${entries.map(([key]) => `${RUN_COLUMNS[key]} = ?`).join(", ")} WHERE id = ?`)
      .run(...entries.map(([, value]) => value), id);
    const updated = await this.getRun(id);
    if (!updated) throw new Error(`run ${id} does not exist`);
    return updated;
  }

  async getRun(id: number): Promise<RunRecord | undefined> {
    const row = this.#db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as Row | undefined;
    return row && toRun(row);
  }

  async getRunByTriggerKey(key: string): Promise<RunRecord | undefined> {
    const row = this.#db.prepare(`SELECT * FROM runs WHERE trigger_key = ?`).get(key) as Row | undefined;
    return row && toRun(row);
  }

  async runsForCommit(owner: string, repo: string, sha: string): Promise<RunRecord[]> {
    const rows = this.#db
      .prepare(`SELECT * FROM runs WHERE owner = ? AND repo = ? AND sha = ? ORDER BY id`)
      .all(owner, repo, sha) as Row[];
    return rows.map(toRun);
  }

  async findRuns(filter: RunFilter): Promise<RunRecord[]> {
    const clauses = ["owner = ?", "repo = ?"];
    const values: unknown[] = [filter.owner, filter.repo];
    if (filter.pipeline !== undefined) {
      clauses.push("pipeline = ?");
      values.push(filter.pipeline);
    }
    if (filter.prNumber !== undefined) {
      clauses.push("pr_number = ?");
      values.push(filter.prNumber);
    }
    if (filter.states) {
      clauses.push(`state IN (${filter.states.map(() => "?").join(", ")})`);
      values.push(...filter.states);
    }
    const rows = this.#db.prepare(`SELECT * FROM runs WHERE ${clauses.join(" AND ")} ORDER BY id`).all(...values) as Row[];
    return rows.map(toRun);
  }

  async addResults(runId: number, upload: ResultUpload, now: number): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO result_uploads (run_id, format, total, passed, failed, skipped, errored, failures, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(runId, upload.format, upload.total, upload.passed, upload.failed, upload.skipped, upload.errored, JSON.stringify(upload.failures), now);
  }

  async resultsFor(runId: number): Promise<ResultUpload[]> {
    const rows = this.#db.prepare(`SELECT * FROM result_uploads WHERE run_id = ? ORDER BY id`).all(runId) as Row[];
    return rows.map((row) => ({
      format: row.format as ResultUpload["format"],
      total: row.total as number,
      passed: row.passed as number,
      failed: row.failed as number,
      skipped: row.skipped as number,
      errored: row.errored as number,
      failures: JSON.parse(row.failures as string),
    }));
  }

  async waitingRuns(): Promise<RunRecord[]> {
    return (this.#db.prepare(`SELECT * FROM runs WHERE state = 'waiting' ORDER BY id`).all() as Row[]).map(toRun);
  }

  async addApproval(approval: Approval): Promise<void> {
    this.#db
      .prepare(`INSERT OR REPLACE INTO approvals (owner, repo, pr_number, sha, approver, approved_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(approval.owner, approval.repo, approval.prNumber, approval.sha, approval.approver, approval.approvedAt);
  }

  async isApproved(owner: string, repo: string, prNumber: number, sha: string): Promise<boolean> {
    return this.#db.prepare(`SELECT 1 FROM approvals WHERE owner = ? AND repo = ? AND pr_number = ? AND sha = ?`).get(owner, repo, prNumber, sha) !== undefined;
  }

  async dueRuns(now: number, staleBefore: number): Promise<RunRecord[]> {
    const rows = this.#db
      .prepare(
        `SELECT * FROM runs
         WHERE (state IN ('queued', 'running', 'awaiting_results') AND next_poll_at <= ?)
            OR (state = 'pending' AND updated_at <= ?)
            OR (view_key IS NOT NULL AND reported IS NOT view_key AND updated_at <= ?)
         ORDER BY COALESCE(next_poll_at, updated_at), id`,
      )
      .all(now, staleBefore, staleBefore) as Row[];
    return rows.map(toRun);
  }

  close(): void {
    this.#db.close();
  }
}

function toRun(row: Row): RunRecord {
  const run = {} as Record<string, unknown>;
  for (const [key, column] of Object.entries(RUN_COLUMNS)) run[key] = row[column];
  return run as unknown as RunRecord;
}
