import { toNumber } from "./rows.js";
import type { SqlExecutor } from "./postgres-executor.js";

/**
 * PostgreSQL schema versions, applied in order and recorded in schema_migrations. Never edit a shipped entry.
 * The same tables and columns as the SQLite store (migrations.ts), so both share their SQL; epoch milliseconds
 * and GitHub ids are BIGINT.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     seq BIGSERIAL PRIMARY KEY,
     delivery_id TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     payload TEXT NOT NULL,
     installation_id BIGINT NOT NULL,
     repo_key TEXT NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     next_attempt_at BIGINT NOT NULL,
     last_error TEXT,
     received_at BIGINT NOT NULL,
     lease_owner TEXT,
     lease_token TEXT,
     lease_until BIGINT
   );
   CREATE INDEX events_pending_order ON events (seq) WHERE status = 'pending';
   CREATE INDEX events_pending_repo ON events (repo_key, seq) WHERE status = 'pending';
   CREATE TABLE runs (
     id BIGSERIAL PRIMARY KEY,
     installation_id BIGINT NOT NULL,
     owner TEXT NOT NULL,
     repo TEXT NOT NULL,
     sha TEXT NOT NULL,
     pipeline TEXT NOT NULL,
     ref TEXT NOT NULL,
     attempt INTEGER NOT NULL,
     trigger_key TEXT UNIQUE,
     vendor TEXT NOT NULL,
     connection TEXT NOT NULL,
     request TEXT NOT NULL,
     pr_number INTEGER,
     state TEXT NOT NULL,
     vendor_status TEXT,
     vendor_run_id TEXT,
     web_url TEXT,
     handle_extra TEXT,
     check_run_id BIGINT,
     report_mode TEXT NOT NULL,
     view TEXT,
     view_key TEXT,
     reported TEXT,
     note TEXT,
     cancel_reason TEXT,
     cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
     results_token_hash TEXT,
     results_wait_until BIGINT,
     poll_count INTEGER NOT NULL DEFAULT 0,
     failures INTEGER NOT NULL DEFAULT 0,
     failing_since BIGINT,
     trigger_attempts INTEGER NOT NULL DEFAULT 0,
     next_poll_at BIGINT,
     publish_due_at BIGINT,
     check_create_sent_at BIGINT,
     timeout_at BIGINT NOT NULL,
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL,
     started_at BIGINT,
     finished_at BIGINT,
     lease_owner TEXT,
     lease_token TEXT,
     lease_until BIGINT,
     publish_owner TEXT,
     publish_token TEXT,
     publish_lease_until BIGINT
   );
   CREATE INDEX runs_commit ON runs (owner, repo, sha, pipeline);
   CREATE INDEX runs_pipeline ON runs (owner, repo, pipeline, state);
   CREATE INDEX runs_vendor_due ON runs (next_poll_at)
     WHERE state IN ('waiting', 'pending', 'starting', 'queued', 'running', 'awaiting_results');
   CREATE INDEX runs_github_due ON runs (publish_due_at) WHERE publish_due_at IS NOT NULL;
   CREATE TABLE result_uploads (
     id BIGSERIAL PRIMARY KEY,
     run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     format TEXT NOT NULL,
     total INTEGER NOT NULL,
     passed INTEGER NOT NULL,
     failed INTEGER NOT NULL,
     skipped INTEGER NOT NULL,
     errored INTEGER NOT NULL,
     failures TEXT NOT NULL,
     received_at BIGINT NOT NULL
   );
   CREATE INDEX result_uploads_run ON result_uploads (run_id);
   CREATE TABLE approvals (
     owner TEXT NOT NULL,
     repo TEXT NOT NULL,
     pr_number INTEGER NOT NULL,
     sha TEXT NOT NULL,
     approver TEXT NOT NULL,
     approved_at BIGINT NOT NULL,
     PRIMARY KEY (owner, repo, pr_number, sha)
   );`,
  // Side effects that must happen at most once (the reply to a command comment), keyed by what they answer.
  `CREATE TABLE once_keys (key TEXT PRIMARY KEY, done_at BIGINT NOT NULL);
   CREATE INDEX once_keys_done ON once_keys (done_at);`,
  // Runs still to be started are claimed first (a burst's triggers do not queue behind polls).
  `CREATE INDEX runs_start_due ON runs (next_poll_at) WHERE state IN ('waiting', 'pending', 'starting');`,
  // Flaky tests: passed test ids per upload (bounded, JSON), and each test found flaky once per commit.
  // report_extras: a failed run's job table and log annotations, for re-rendering after a late upload;
  // test_outcomes: the vendor report's failed and passed test cases, for flaky tests without uploads.
  `ALTER TABLE result_uploads ADD COLUMN passed_tests TEXT;
   ALTER TABLE runs ADD COLUMN report_extras TEXT;
   ALTER TABLE runs ADD COLUMN test_outcomes TEXT;
   CREATE TABLE flaky_tests (
     owner TEXT NOT NULL,
     repo TEXT NOT NULL,
     pipeline TEXT NOT NULL,
     suite TEXT NOT NULL,
     name TEXT NOT NULL,
     sha TEXT NOT NULL,
     seen_at BIGINT NOT NULL,
     PRIMARY KEY (owner, repo, pipeline, suite, name, sha)
   );`,
  // Vendor callbacks find a run by its connection and vendor run id.
  `CREATE INDEX runs_vendor_run ON runs (connection, vendor_run_id) WHERE vendor_run_id IS NOT NULL;`,
  // A callback hint that arrives while the run is being polled (see pollRunsNow).
  `ALTER TABLE runs ADD COLUMN poll_hint_at BIGINT;`,
  // Event claims read the oldest pending events' repositories from the index alone, not from the rows (each row
  // holds a payload, so the rows are pages apart).
  `CREATE INDEX events_pending_heads ON events (seq, repo_key) WHERE status = 'pending';
   DROP INDEX events_pending_order;`,
];

/** Any fixed number: every replica of pipeline-relay takes this lock to migrate, one after the other. */
const MIGRATION_LOCK_KEY = 7_265_821_004;

/**
 * Applies the missing versions in one transaction under an advisory lock, so replicas that start together
 * migrate one at a time and the later ones find the work done. The lock ends with the transaction.
 */
export async function migratePostgres(executor: SqlExecutor, now: number): Promise<void> {
  await executor.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock($1)`, [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`);
    const { rows } = await tx.query(`SELECT version FROM schema_migrations`);
    const applied = new Set(rows.map((row) => toNumber(row.version)));
    for (const [index, sql] of PG_MIGRATIONS.entries()) {
      const version = index + 1;
      if (applied.has(version)) continue;
      await tx.exec(sql);
      await tx.query(`INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, [version, now]);
    }
  });
}
