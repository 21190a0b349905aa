/** Schema versions, applied in order; `PRAGMA user_version` records how many ran. Never edit a shipped entry. */
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
];
