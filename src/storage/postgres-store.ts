import { LeaseLostError } from "../errors.js";
import { PoolExecutor } from "./postgres-executor.js";
import type { SqlExecutor } from "./postgres-executor.js";
import { migratePostgres } from "./postgres-schema.js";
import { RUN_SELECT, patchColumns, toClaimedEvent, toNumber, toFlakyTestCount, toResultUpload, toRun } from "./rows.js";
import type { Row } from "./rows.js";
import { byDue, bySeq, createRunSql, flakyRow, params, payloadJsonOf, runFilterSql, toBacklog, toClaimedRun, toPositional, updateRunSql } from "./run-sql.js";
import { storeSql } from "./store-sql.js";
import { EventHeadsSearch } from "./event-heads.js";
import type {
  Approval, ClaimOptions, ClaimedEvent, ClaimedRun, EngineBacklog, Fence, Lane, NewEvent, NewRun, RelayStore, ResultUpload, FlakyObservation, FlakyTestCount,
  RunFilter, RunPatch, RunRecord,
} from "./types.js";

const SQL = storeSql("postgres");

export interface PostgresOptions {
  /** Connections per process (pg.Pool `max`). */
  poolSize?: number;
}

export const DEFAULT_POOL_SIZE = 10;

/**
 * The store for several replicas: they share one PostgreSQL database and claim work with
 * `FOR UPDATE SKIP LOCKED`, so no two replicas hold the same row. Same semantics as SqliteStore.
 */
export class PostgresStore implements RelayStore {
  /** Named SQL rewritten to `$n` once per text. */
  readonly #positional = new Map<string, { text: string; names: string[] }>();
  readonly #heads = new EventHeadsSearch();

  private constructor(private readonly executor: SqlExecutor) {}

  /** Connects a pool to `url` and brings the schema up to date (safe when replicas start together). */
  static async connect(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const executor = PoolExecutor.connect(url, options.poolSize ?? DEFAULT_POOL_SIZE);
    try {
      return await PostgresStore.open(executor);
    } catch (error) {
      await executor.close().catch(() => undefined);
      throw error;
    }
  }

  /** A store over any executor (tests use PGlite); migrates first. */
  static async open(executor: SqlExecutor): Promise<PostgresStore> {
    await migratePostgres(executor, Date.now());
    return new PostgresStore(executor);
  }

  async #query(sql: string, values: Record<string, unknown> = {}): Promise<{ rows: Row[]; rowCount: number }> {
    let positional = this.#positional.get(sql);
    if (!positional) {
      positional = toPositional(sql);
      this.#positional.set(sql, positional);
    }
    return this.executor.query(positional.text, positional.names.map((name) => values[name] ?? null));
  }

  async #rows(sql: string, values: Record<string, unknown> = {}): Promise<Row[]> {
    return (await this.#query(sql, values)).rows;
  }

  async #changed(sql: string, values: Record<string, unknown>): Promise<number> {
    return (await this.#query(sql, values)).rowCount;
  }

  async addEvent(event: NewEvent, now: number): Promise<boolean> {
    return (await this.#changed(SQL.addEvent, params.event(event, now, payloadJsonOf(event).toString()))) === 1;
  }

  async claimEvents(options: ClaimOptions): Promise<ClaimedEvent[]> {
    const rows = await this.#heads.claim(options, SQL.claimEvents, (sql, limit) => this.#rows(sql, params.claim({ ...options, limit })));
    return rows.sort(bySeq).map(toClaimedEvent);
  }

  async claimRepositoryHead(repoKey: string, options: ClaimOptions): Promise<ClaimedEvent | undefined> {
    const [row] = await this.#rows(SQL.claimEvents.repository, { ...params.claim({ ...options, limit: 1 }), repo_key: repoKey });
    return row && toClaimedEvent(row);
  }

  async finishEvent(deliveryId: string, leaseToken: string): Promise<boolean> {
    return (await this.#changed(SQL.finishEvent, { delivery_id: deliveryId, token: leaseToken })) === 1;
  }

  async failEvent(deliveryId: string, leaseToken: string, error: string, retryAt: number | null): Promise<boolean> {
    const values = { delivery_id: deliveryId, token: leaseToken, error, retry_at: retryAt };
    return (await this.#changed(SQL.failEvent, values)) === 1;
  }

  async releaseEvent(deliveryId: string, leaseToken: string): Promise<void> {
    await this.#changed(SQL.releaseEvent, { delivery_id: deliveryId, token: leaseToken });
  }

  async renewEventLease(deliveryId: string, leaseToken: string, until: number): Promise<boolean> {
    return (await this.#changed(SQL.renewEvent, { delivery_id: deliveryId, token: leaseToken, until })) === 1;
  }

  async pendingEventCount(): Promise<number> {
    return toNumber((await this.#rows(SQL.pendingEventCount))[0]!.n);
  }

  async pruneEvents(before: number): Promise<number> {
    await this.#changed(SQL.pruneOnceKeys, { before });
    return this.#changed(SQL.pruneEvents, { before });
  }

  async recordOnce(key: string, now: number): Promise<boolean> {
    return (await this.#changed(SQL.recordOnce, { key, now })) === 1;
  }

  async knownDeliveries(deliveryIds: readonly string[]): Promise<Set<string>> {
    if (deliveryIds.length === 0) return new Set();
    return new Set((await this.#rows(SQL.knownDeliveries, { delivery_ids: JSON.stringify(deliveryIds) })).map((row) => String(row.delivery_id)));
  }

  async pollRunsNow(connection: string, vendorRunId: string, now: number): Promise<number> {
    return this.#changed(SQL.pollRunsNow, { connection, vendor_run_id: vendorRunId, now });
  }

  async createRun(run: NewRun): Promise<RunRecord | undefined> {
    const [row] = await this.#rows(createRunSql(), params.newRun(run));
    return row && toRun(row);
  }

  async updateRun(id: number, patch: RunPatch, now: number, fence?: Fence): Promise<RunRecord> {
    const columns = patchColumns(patch);
    const values: Record<string, unknown> = { ...Object.fromEntries(columns), id, now, token: fence?.token };
    const [row] = await this.#rows(updateRunSql(columns.map(([column]) => column), fence?.lane), values);
    if (row) return toRun(row);
    if (fence) throw new LeaseLostError(`run ${id} (${fence.lane} lane)`);
    throw new Error(`run ${id} does not exist`);
  }

  async claimRuns(lane: Lane, options: ClaimOptions): Promise<ClaimedRun[]> {
    // Runs still to be started first, then the rest (polls) with what is left of the limit.
    const starts = lane === "vendor" ? (await this.#rows(SQL.claimRuns.starts, params.claim(options))).sort(byDue(lane)) : [];
    const rest = starts.length < options.limit ? (await this.#rows(SQL.claimRuns[lane], params.claim({ ...options, limit: options.limit - starts.length }))).sort(byDue(lane)) : [];
    return [...starts, ...rest].map(toClaimedRun(lane));
  }

  async renewRunLease(id: number, fence: Fence, until: number): Promise<boolean> {
    return (await this.#changed(SQL.renewRun[fence.lane], { id, token: fence.token, until })) === 1;
  }

  async releaseRun(id: number, fence: Fence): Promise<void> {
    await this.#changed(SQL.releaseRun[fence.lane], { id, token: fence.token });
  }

  async getRun(id: number): Promise<RunRecord | undefined> {
    const [row] = await this.#rows(SQL.getRun, { id });
    return row && toRun(row);
  }

  async getRunByTriggerKey(key: string): Promise<RunRecord | undefined> {
    const [row] = await this.#rows(SQL.getRunByTriggerKey, { trigger_key: key });
    return row && toRun(row);
  }

  async runsForCommit(owner: string, repo: string, sha: string): Promise<RunRecord[]> {
    return (await this.#rows(SQL.runsForCommit, { owner, repo, sha })).map(toRun);
  }

  async findRuns(filter: RunFilter): Promise<RunRecord[]> {
    const { where, params: values } = runFilterSql(filter, "postgres");
    return (await this.#rows(`SELECT ${RUN_SELECT} FROM runs ${where} ORDER BY id`, values)).map(toRun);
  }

  async recentRuns(limit: number, filter: Partial<RunFilter> = {}): Promise<RunRecord[]> {
    const { where, params: values } = runFilterSql(filter, "postgres");
    const sql = `SELECT ${RUN_SELECT} FROM runs ${where} ORDER BY id DESC LIMIT @limit`;
    return (await this.#rows(sql, { ...values, limit })).map(toRun);
  }

  async addApproval(approval: Approval): Promise<void> {
    await this.#changed(SQL.addApproval, params.approval(approval));
  }

  async isApproved(owner: string, repo: string, prNumber: number, sha: string): Promise<boolean> {
    return (await this.#rows(SQL.isApproved, { owner, repo, pr_number: prNumber, sha })).length > 0;
  }

  async addResults(runId: number, upload: ResultUpload, now: number): Promise<void> {
    await this.#changed(SQL.addResults, params.results(runId, upload, now));
  }

  async resultsFor(runId: number): Promise<ResultUpload[]> {
    return (await this.#rows(SQL.resultsFor, { run_id: runId })).map(toResultUpload);
  }

  async recordFlakyTests(observation: FlakyObservation, now: number): Promise<void> {
    // One statement per test; ON CONFLICT makes a repeated note (a re-judged run) change nothing.
    for (const test of observation.tests) await this.#changed(SQL.recordFlakyTest, flakyRow(observation, test, now));
  }

  async flakiestTests(owner: string, repo: string, limit: number): Promise<FlakyTestCount[]> {
    return (await this.#rows(SQL.flakiestTests, { owner, repo, limit })).map(toFlakyTestCount);
  }

  async pruneRuns(before: number): Promise<number> {
    // result_uploads go with their run (ON DELETE CASCADE).
    return this.#changed(`DELETE FROM runs WHERE id IN (${SQL.prunableRunIds})`, { before });
  }

  async backlog(now: number): Promise<EngineBacklog> {
    const [[events], [vendorDue], [githubDue], active] = await Promise.all([
      this.#rows(SQL.eventBacklog, { now }),
      this.#rows(SQL.oldestDueRun.vendor, { now }),
      this.#rows(SQL.oldestDueRun.github, { now }),
      this.#rows(SQL.activeRuns),
    ]);
    return toBacklog(events!, [vendorDue!.due, githubDue!.due], active);
  }

  async close(): Promise<void> {
    await this.executor.close();
  }
}
