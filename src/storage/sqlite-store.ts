import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { LeaseLostError } from "../errors.js";
import { MIGRATIONS } from "./migrations.js";
import { packPayload, unpackPayload } from "./payload-codec.js";
import { EventHeadsSearch } from "./event-heads.js";
import { GroupCommit } from "./group-commit.js";
import { SqliteFileInUseError, SqliteFileOwner } from "./sqlite-file-owner.js";
import { FALLBACK_AUTOCHECKPOINT_PAGES, WalCheckpointer } from "./wal-checkpointer.js";
import { RUN_SELECT, patchColumns, toClaimedEvent, toNumber, toFlakyTestCount, toResultUpload, toRun } from "./rows.js";
import type { Row } from "./rows.js";
import { byDue, bySeq, createRunSql, flakyRow, params, payloadJsonOf, runFilterSql, toBacklog, toClaimedRun, updateRunSql } from "./run-sql.js";
import { storeSql } from "./store-sql.js";
import type {
  Approval, ClaimOptions, ClaimedEvent, ClaimedRun, EngineBacklog, Fence, Lane, NewEvent, NewRun, RelayStore, ResultUpload, FlakyObservation, FlakyTestCount,
  RunFilter, RunPatch, RunRecord,
} from "./types.js";

const SQL = storeSql("sqlite");

export interface SqliteOptions {
  /** Where a failing background checkpoint is reported (the store keeps working: its connection takes over). */
  warn?: (message: string) => void;
  /** How long to wait for another process to release the file (default 5 s). */
  ownerWaitMs?: number;
}

/** The default store: one SQLite file (WAL), zero setup, one process. `:memory:` for tests. */
export class SqliteStore implements RelayStore {
  readonly #db: Database.Database;
  /** Every statement is prepared once, keyed by its text (updateRun's text depends on the patched columns). */
  readonly #statements = new Map<string, Database.Statement>();
  readonly #heads = new EventHeadsSearch();
  readonly #owner: SqliteFileOwner | undefined;
  readonly #checkpointer: WalCheckpointer | undefined;
  readonly #newEvents = new GroupCommit<Record<string, unknown>, boolean>(
    (rows) => this.#db.transaction(() => rows.map((row) => this.#run(SQL.addEvent, row) === 1))(),
    (row) => this.#run(SQL.addEvent, row) === 1,
  );

  constructor(file: string, options: SqliteOptions = {}) {
    const onDisk = file !== ":memory:";
    if (onDisk) mkdirSync(dirname(file), { recursive: true });
    // One process owns the file (several replicas need PostgreSQL): a second process fails to start instead of
    // sharing leases it cannot see.
    this.#owner = onDisk ? SqliteFileOwner.claim(file, options.ownerWaitMs ?? 5000) : undefined;
    try {
      this.#db = new Database(file);
    } catch (error) {
      this.#owner?.release();
      throw error;
    }
    try {
      this.#db.pragma("journal_mode = WAL");
      // With WAL, NORMAL loses no commit on a process crash; only an OS crash or power loss may lose the last ones.
      this.#db.pragma("synchronous = NORMAL");
      this.#db.pragma("busy_timeout = 5000");
      this.#db.function("relay_lease_token", { deterministic: false }, () => randomUUID());
      this.#migrate();
      this.#releaseLeasesOfEarlierProcesses();
      if (onDisk) this.#checkpointer = this.#checkpointInTheBackground(file, options);
    } catch (error) {
      this.#db.close();
      this.#owner?.release();
      if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) throw new SqliteFileInUseError();
      throw error;
    }
  }

  #checkpointInTheBackground(file: string, options: SqliteOptions): WalCheckpointer {
    this.#db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    // A WAL that grew during a burst is cut back once a checkpoint lets it restart.
    this.#db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    return new WalCheckpointer(file, {
      onError: (message) => options.warn?.(`SQLite background checkpoint failed: ${message}`),
      onExit: () => {
        if (this.#db.open) this.#db.pragma("wal_autocheckpoint = 1000");
      },
      // The thread holds only the webhook commits: the engine's few writes in a pause at most leave the WAL to the
      // next attempt.
      gate: this.#newEvents,
    });
  }

  /**
   * Owning the file means no other process is alive to hold a lease: what a killed process held is due again at
   * once, instead of after its lease runs out.
   */
  #releaseLeasesOfEarlierProcesses(): void {
    this.#db.exec(`UPDATE events SET lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE lease_token IS NOT NULL;
        UPDATE runs SET lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE lease_token IS NOT NULL;
        UPDATE runs SET publish_owner = NULL, publish_token = NULL, publish_lease_until = NULL WHERE publish_token IS NOT NULL;`);
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

  #run(sql: string, values: Record<string, unknown> = {}): number {
    return this.#statement(sql).run(values).changes;
  }

  #get(sql: string, values: Record<string, unknown> = {}): Row | undefined {
    return this.#statement(sql).get(values) as Row | undefined;
  }

  #all(sql: string, values: Record<string, unknown> = {}): Row[] {
    return this.#statement(sql).all(values) as Row[];
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
    return this.#newEvents.add(params.event(event, now, packPayload(payloadJsonOf(event))));
  }

  async claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]> {
    const rows = await this.#heads.claim(options, SQL.claimEvents, async (sql, limit) => this.#all(sql, params.claim({ ...options, limit })));
    return rows.sort(bySeq).map(claimedEventOf);
  }

  async claimRepositoryHead(repoKey: string, options: ClaimOptions): Promise<ClaimedEvent | undefined> {
    const [row] = this.#all(SQL.claimEvents.repository, { ...params.claim({ ...options, limit: 1 }), repo_key: repoKey });
    return row && claimedEventOf(row);
  }

  async finishEvent(deliveryId: string, leaseToken: string): Promise<boolean> {
    return this.#run(SQL.finishEvent, { delivery_id: deliveryId, token: leaseToken }) === 1;
  }

  async failEvent(deliveryId: string, leaseToken: string, error: string, retryAt: number | null): Promise<boolean> {
    return this.#run(SQL.failEvent, { delivery_id: deliveryId, token: leaseToken, error, retry_at: retryAt }) === 1;
  }

  async releaseEvent(deliveryId: string, leaseToken: string): Promise<void> {
    this.#run(SQL.releaseEvent, { delivery_id: deliveryId, token: leaseToken });
  }

  async renewEventLease(deliveryId: string, leaseToken: string, until: number): Promise<boolean> {
    return this.#run(SQL.renewEvent, { delivery_id: deliveryId, token: leaseToken, until }) === 1;
  }

  async pendingEventCount(): Promise<number> {
    return toNumber(this.#get(SQL.pendingEventCount)!.n);
  }

  async pruneEvents(before: number): Promise<number> {
    await this.#run(SQL.pruneOnceKeys, { before });
    return this.#run(SQL.pruneEvents, { before });
  }

  async recordOnce(key: string, now: number): Promise<boolean> {
    return (await this.#run(SQL.recordOnce, { key, now })) === 1;
  }

  async knownDeliveries(deliveryIds: readonly string[]): Promise<Set<string>> {
    if (deliveryIds.length === 0) return new Set();
    return new Set(this.#all(SQL.knownDeliveries, { delivery_ids: JSON.stringify(deliveryIds) }).map((row) => String(row.delivery_id)));
  }

  async pollRunsNow(connection: string, vendorRunId: string, now: number): Promise<number> {
    return this.#run(SQL.pollRunsNow, { connection, vendor_run_id: vendorRunId, now });
  }

  async createRun(run: NewRun): Promise<RunRecord | undefined> {
    // Only a duplicate trigger key is expected; any other constraint failure throws.
    const row = this.#get(createRunSql(), params.newRun(run));
    return row && toRun(row);
  }

  async updateRun(id: number, patch: RunPatch, now: number, fence?: Fence): Promise<RunRecord> {
    const columns = patchColumns(patch);
    const values: Record<string, unknown> = { id, now };
    // SQLite stores booleans as 0/1 and cannot bind them.
    for (const [column, value] of columns) values[column] = typeof value === "boolean" ? Number(value) : value;
    if (fence) values.token = fence.token;
    const row = this.#get(updateRunSql(columns.map(([column]) => column), fence?.lane), values);
    if (row) return toRun(row);
    if (fence) throw new LeaseLostError(`run ${id} (${fence.lane} lane)`);
    throw new Error(`run ${id} does not exist`);
  }

  async claimRuns(lane: Lane, options: ClaimOptions): Promise<ClaimedRun[]> {
    // The claim is an UPDATE with a subquery (tens of µs even on an empty table); an index lookup first makes the
    // engine's frequent looks for work nearly free when nothing of this lane is due.
    if (this.#get(SQL.oldestDueRun[lane], { now: options.now })?.due == null) return [];
    const starts = lane === "vendor" ? this.#all(SQL.claimRuns.starts, params.claim(options)).sort(byDue(lane)) : [];
    const rest = starts.length < options.limit ? this.#all(SQL.claimRuns[lane], params.claim({ ...options, limit: options.limit - starts.length })).sort(byDue(lane)) : [];
    return [...starts, ...rest].map(toClaimedRun(lane));
  }

  async renewRunLease(id: number, fence: Fence, until: number): Promise<boolean> {
    return this.#run(SQL.renewRun[fence.lane], { id, token: fence.token, until }) === 1;
  }

  async releaseRun(id: number, fence: Fence): Promise<void> {
    this.#run(SQL.releaseRun[fence.lane], { id, token: fence.token });
  }

  async getRun(id: number): Promise<RunRecord | undefined> {
    const row = this.#get(SQL.getRun, { id });
    return row && toRun(row);
  }

  async getRunByTriggerKey(key: string): Promise<RunRecord | undefined> {
    const row = this.#get(SQL.getRunByTriggerKey, { trigger_key: key });
    return row && toRun(row);
  }

  async runsForCommit(owner: string, repo: string, sha: string): Promise<RunRecord[]> {
    return this.#all(SQL.runsForCommit, { owner, repo, sha }).map(toRun);
  }

  async findRuns(filter: RunFilter): Promise<RunRecord[]> {
    const { where, params: values } = runFilterSql(filter, "sqlite");
    return this.#all(`SELECT ${RUN_SELECT} FROM runs ${where} ORDER BY id`, values).map(toRun);
  }

  async recentRuns(limit: number, filter: Partial<RunFilter> = {}): Promise<RunRecord[]> {
    const { where, params: values } = runFilterSql(filter, "sqlite");
    return this.#all(`SELECT ${RUN_SELECT} FROM runs ${where} ORDER BY id DESC LIMIT @limit`, { ...values, limit }).map(toRun);
  }

  async addApproval(approval: Approval): Promise<void> {
    this.#run(SQL.addApproval, params.approval(approval));
  }

  async isApproved(owner: string, repo: string, prNumber: number, sha: string): Promise<boolean> {
    return this.#get(SQL.isApproved, { owner, repo, pr_number: prNumber, sha }) !== undefined;
  }

  async addResults(runId: number, upload: ResultUpload, now: number): Promise<void> {
    this.#run(SQL.addResults, params.results(runId, upload, now));
  }

  async resultsFor(runId: number): Promise<ResultUpload[]> {
    return this.#all(SQL.resultsFor, { run_id: runId }).map(toResultUpload);
  }

  async recordFlakyTests(observation: FlakyObservation, now: number): Promise<void> {
    this.#db.transaction(() => {
      for (const test of observation.tests) this.#run(SQL.recordFlakyTest, flakyRow(observation, test, now));
    })();
  }

  async flakiestTests(owner: string, repo: string, limit: number): Promise<FlakyTestCount[]> {
    return this.#all(SQL.flakiestTests, { owner, repo, limit }).map(toFlakyTestCount);
  }

  async pruneRuns(before: number): Promise<number> {
    return this.#db.transaction(() => {
      this.#run(`DELETE FROM result_uploads WHERE run_id IN (${SQL.prunableRunIds})`, { before });
      return this.#run(`DELETE FROM runs WHERE id IN (${SQL.prunableRunIds})`, { before });
    })();
  }

  async backlog(now: number): Promise<EngineBacklog> {
    const events = this.#get(SQL.eventBacklog, { now })!;
    const due = [this.#get(SQL.oldestDueRun.vendor, { now })!.due, this.#get(SQL.oldestDueRun.github, { now })!.due];
    return toBacklog(events, due, this.#all(SQL.activeRuns));
  }

  async close(): Promise<void> {
    this.#newEvents.flush();
    // Closed at once (callers may reopen the file right away); the checkpointing thread's connection closes after
    // its last checkpoint, and whichever connection closes last removes the WAL.
    this.#db.close();
    this.#owner?.release();
    await this.#checkpointer?.stop();
  }
}

function claimedEventOf(row: Row): ClaimedEvent {
  return toClaimedEvent({ ...row, payload: unpackOrUndefined(row.payload) });
}

/** A payload that does not inflate is left for toClaimedEvent to report as unreadable. */
function unpackOrUndefined(stored: unknown): string | undefined {
  try {
    return unpackPayload(stored);
  } catch {
    return undefined;
  }
}
