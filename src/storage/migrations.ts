/** SQLite schema versions, applied in order; `PRAGMA user_version` records how many ran. Never edit a shipped entry. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     delivery_id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     payload TEXT NOT NULL,
     installation_id INTEGER NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     next_attempt_at INTEGER NOT NULL,
     last_error TEXT,
     received_at INTEGER NOT NULL
   );
   CREATE INDEX events_pending ON events (status, next_attempt_at, received_at);
   CREATE TABLE runs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     installation_id INTEGER NOT NULL,
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
     check_run_id INTEGER,
     report_mode TEXT NOT NULL,
     view TEXT,
     view_key TEXT,
     reported TEXT,
     note TEXT,
     cancel_reason TEXT,
     results_token_hash TEXT,
     results_wait_until INTEGER,
     poll_count INTEGER NOT NULL DEFAULT 0,
     next_poll_at INTEGER,
     timeout_at INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     started_at INTEGER,
     finished_at INTEGER
   );
   CREATE INDEX runs_commit ON runs (owner, repo, sha, pipeline);
   CREATE INDEX runs_due ON runs (state, next_poll_at);
   CREATE INDEX runs_unreported ON runs (view_key, reported);
   CREATE INDEX runs_pipeline ON runs (owner, repo, pipeline, state);
   CREATE TABLE result_uploads (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     run_id INTEGER NOT NULL REFERENCES runs (id),
     format TEXT NOT NULL,
     total INTEGER NOT NULL,
     passed INTEGER NOT NULL,
     failed INTEGER NOT NULL,
     skipped INTEGER NOT NULL,
     errored INTEGER NOT NULL,
     failures TEXT NOT NULL,
     received_at INTEGER NOT NULL
   );
   CREATE INDEX result_uploads_run ON result_uploads (run_id);
   CREATE TABLE approvals (
     owner TEXT NOT NULL,
     repo TEXT NOT NULL,
     pr_number INTEGER NOT NULL,
     sha TEXT NOT NULL,
     approver TEXT NOT NULL,
     approved_at INTEGER NOT NULL,
     PRIMARY KEY (owner, repo, pr_number, sha)
   );`,
  // 2: leases for the engine. Events get an explicit arrival sequence (a rowid alias, stable under VACUUM) and
  // the repository they belong to; runs get the engine's counters and one lease per lane. Due-work indexes are
  // partial, so claims never read finished rows. The active-state list is spelled out (a shipped entry must not
  // change when ACTIVE_STATES does; the store's queries must repeat it for SQLite to use the index).
  `CREATE TABLE events_v2 (
     seq INTEGER PRIMARY KEY,
     delivery_id TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     payload TEXT NOT NULL,
     installation_id INTEGER NOT NULL,
     repo_key TEXT NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     next_attempt_at INTEGER NOT NULL,
     last_error TEXT,
     received_at INTEGER NOT NULL,
     lease_owner TEXT,
     lease_token TEXT,
     lease_until INTEGER
   );
   INSERT INTO events_v2 (delivery_id, name, payload, installation_id, repo_key, status, attempts, next_attempt_at,
                          last_error, received_at)
     SELECT delivery_id, name, payload, installation_id,
            COALESCE(json_extract(payload, '$.repository.full_name'), 'installation:' || installation_id),
            status, attempts, next_attempt_at, last_error, received_at
     FROM events ORDER BY received_at, rowid;
   DROP TABLE events;
   ALTER TABLE events_v2 RENAME TO events;
   CREATE INDEX events_pending_order ON events (seq) WHERE status = 'pending';
   CREATE INDEX events_pending_repo ON events (repo_key, seq) WHERE status = 'pending';

   ALTER TABLE runs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE runs ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE runs ADD COLUMN failing_since INTEGER;
   ALTER TABLE runs ADD COLUMN trigger_attempts INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE runs ADD COLUMN publish_due_at INTEGER;
   ALTER TABLE runs ADD COLUMN check_create_sent_at INTEGER;
   ALTER TABLE runs ADD COLUMN lease_owner TEXT;
   ALTER TABLE runs ADD COLUMN lease_token TEXT;
   ALTER TABLE runs ADD COLUMN lease_until INTEGER;
   ALTER TABLE runs ADD COLUMN publish_owner TEXT;
   ALTER TABLE runs ADD COLUMN publish_token TEXT;
   ALTER TABLE runs ADD COLUMN publish_lease_until INTEGER;
   -- A run with a vendor id was triggered; an old 'pending' row may have been (a crash between the call and the
   -- stored answer), so the engine looks for it before triggering again.
   UPDATE runs SET trigger_attempts = 1 WHERE vendor_run_id IS NOT NULL OR state = 'pending';
   -- The old tracker found its work by scanning; the new lanes only take rows that are due.
   UPDATE runs SET next_poll_at = updated_at WHERE next_poll_at IS NULL AND state IN ('waiting', 'pending', 'starting', 'queued', 'running', 'awaiting_results');
   UPDATE runs SET next_poll_at = NULL WHERE NOT (state IN ('waiting', 'pending', 'starting', 'queued', 'running', 'awaiting_results'));
   UPDATE runs SET publish_due_at = updated_at WHERE view_key IS NOT NULL AND reported IS NOT view_key;
   DROP INDEX runs_due;
   DROP INDEX runs_unreported;
   CREATE INDEX runs_vendor_due ON runs (next_poll_at) WHERE state IN ('waiting', 'pending', 'starting', 'queued', 'running', 'awaiting_results');
   CREATE INDEX runs_github_due ON runs (publish_due_at) WHERE publish_due_at IS NOT NULL;`,
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
     seen_at INTEGER NOT NULL,
     PRIMARY KEY (owner, repo, pipeline, suite, name, sha)
   );`,
  // Vendor callbacks find a run by its connection and vendor run id.
  `CREATE INDEX runs_vendor_run ON runs (connection, vendor_run_id) WHERE vendor_run_id IS NOT NULL;`,
  // A callback hint that arrives while the run is being polled (see pollRunsNow).
  `ALTER TABLE runs ADD COLUMN poll_hint_at INTEGER;`,
  // Event claims read the oldest pending events' repositories from the index alone, not from the rows (each row
  // holds a payload, so the rows are pages apart).
  `CREATE INDEX events_pending_heads ON events (seq, repo_key) WHERE status = 'pending';
   DROP INDEX events_pending_order;`,
];
