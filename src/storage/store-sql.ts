import { ACTIVE_STATES_SQL, START_STATES_SQL, EVENT_SELECT, LANE_COLUMNS, RUN_SELECT } from "./rows.js";
import type { Lane } from "./types.js";

export type Dialect = "sqlite" | "postgres";

/**
 * Every fixed statement of both stores, with named parameters (`@now` …; the PostgreSQL store
 * rewrites them to `$n`). Only three things differ: how a lease token is made, how the exclude list is read (a
 * JSON array of strings in both), and the row locks that keep PostgreSQL replicas from claiming the same row.
 */
/** How many of the oldest pending events a regular event claim looks at for repository heads. */
export const EVENT_HEADS_WINDOW = 256;
/** How often a claim may also search the whole backlog for heads the window does not reach. */
export const FULL_HEADS_SEARCH_EVERY_MS = 1000;

export function storeSql(dialect: Dialect) {
  const newToken = dialect === "sqlite" ? "relay_lease_token()" : "CAST(gen_random_uuid() AS TEXT)";
  const jsonList = (parameter: string) => dialect === "sqlite"
    ? `(SELECT value FROM json_each(${parameter}))`
    : `(SELECT jsonb_array_elements_text(CAST(${parameter} AS JSONB)))`;
  const excluded = jsonList("@exclude");
  // Replicas skip rows another claim is taking right now instead of waiting for it (and then claiming it too).
  const lockRows = dialect === "sqlite" ? "" : "FOR UPDATE SKIP LOCKED";
  const leaseFree = (until: string) => `(${until} IS NULL OR ${until} <= @now)`;

  /** `starts`: the vendor lane's runs still to be started, claimed before polls (their own partial index). */
  const claimRuns = (lane: Lane | "starts"): string => {
    const lease = LANE_COLUMNS[lane === "starts" ? "vendor" : lane];
    const due = lane === "starts"
      ? `${START_STATES_SQL} AND next_poll_at <= @now AND connection NOT IN ${excluded}`
      : lane === "vendor"
      ? `${ACTIVE_STATES_SQL} AND next_poll_at <= @now AND connection NOT IN ${excluded}`
      : `publish_due_at IS NOT NULL AND publish_due_at <= @now AND CAST(installation_id AS TEXT) NOT IN ${excluded}`;
    const order = lane === "github" ? "publish_due_at, id" : "next_poll_at, id";
    // A vendor-lane claim consumes pending callback hints: the poll it makes sees the vendor after them.
    const consumeHint = lane === "github" ? "" : ", poll_hint_at = NULL";
    return `UPDATE runs SET ${lease.owner} = @owner, ${lease.token} = ${newToken}, ${lease.until} = @until${consumeHint}
      WHERE id IN (SELECT id FROM runs WHERE ${due} AND ${leaseFree(lease.until)} ORDER BY ${order} LIMIT @limit ${lockRows})
      RETURNING ${RUN_SELECT}, ${lease.token} AS fence_token`;
  };
  const renewRun = (lane: Lane): string => {
    const lease = LANE_COLUMNS[lane];
    return `UPDATE runs SET ${lease.until} = @until WHERE id = @id AND ${lease.token} = @token`;
  };
  const releaseRun = (lane: Lane): string => {
    const lease = LANE_COLUMNS[lane];
    return `UPDATE runs SET ${lease.owner} = NULL, ${lease.token} = NULL, ${lease.until} = NULL WHERE id = @id AND ${lease.token} = @token`;
  };
  const oldestDueRun = (lane: Lane): string => {
    const until = LANE_COLUMNS[lane].until;
    return lane === "vendor"
      ? `SELECT MIN(next_poll_at) AS due FROM runs WHERE ${ACTIVE_STATES_SQL} AND next_poll_at <= @now AND ${leaseFree(until)}`
      : `SELECT MIN(publish_due_at) AS due FROM runs WHERE publish_due_at IS NOT NULL AND publish_due_at <= @now AND ${leaseFree(until)}`;
  };
  const fencedEvent = "WHERE delivery_id = @delivery_id AND lease_token = @token AND status = 'pending'";
  const claimEventHeads = (heads: string): string => `UPDATE events SET lease_owner = @owner, lease_token = ${newToken}, lease_until = @until
      WHERE seq IN (
        SELECT e.seq FROM events e
        JOIN (${heads}) heads ON heads.seq = e.seq
        WHERE e.status = 'pending' AND e.next_attempt_at <= @now AND ${leaseFree("e.lease_until")}
          AND CAST(e.installation_id AS TEXT) NOT IN ${excluded}
        ORDER BY e.seq LIMIT @limit ${dialect === "sqlite" ? "" : "FOR UPDATE OF e SKIP LOCKED"})
      RETURNING ${EVENT_SELECT}`;

  return {
    addEvent: `INSERT INTO events (delivery_id, name, payload, installation_id, repo_key, status, attempts, next_attempt_at, received_at)
      VALUES (@delivery_id, @name, @payload, @installation_id, @repo_key, 'pending', 0, @now, @now)
      ON CONFLICT (delivery_id) DO NOTHING`,
    /**
     * Head of each repository only: an event waits while an earlier one of its repository is pending at all.
     * `recent`: heads among the oldest EVENT_HEADS_WINDOW pending events (a prefix in arrival order, so each
     * repository's first event in it is its true head), found in a bounded read however long the backlog.
     * `all`: heads over the whole pending index, for a repository whose first pending event lies further back (see
     * claimEvents in the stores: at most once a second). It steps from one repository to the next in the
     * (repo_key, seq) index, two index seeks per repository, instead of reading every pending row: a GROUP BY over
     * 19,000 pending events of one repository held the event loop for 1 ms each second, and grows with the backlog.
     * The status is checked on the claimed row itself too: PostgreSQL re-checks a row's own conditions after
     * waiting for its lock, so an event another replica finished meanwhile is not claimed again.
     */
    claimEvents: {
      recent: claimEventHeads(`SELECT MIN(seq) AS seq FROM (SELECT seq, repo_key FROM events WHERE status = 'pending' ORDER BY seq LIMIT ${EVENT_HEADS_WINDOW}) w GROUP BY repo_key`),
      all: claimEventHeads(`WITH RECURSIVE repos (repo_key) AS (
          SELECT MIN(repo_key) FROM events WHERE status = 'pending'
          UNION ALL
          SELECT (SELECT MIN(p.repo_key) FROM events p WHERE p.status = 'pending' AND p.repo_key > repos.repo_key)
          FROM repos WHERE repos.repo_key IS NOT NULL)
        SELECT (SELECT MIN(p.seq) FROM events p WHERE p.status = 'pending' AND p.repo_key = repos.repo_key) AS seq
        FROM repos WHERE repos.repo_key IS NOT NULL`),
      /**
       * One repository's head, when it is due and free (one seek in the (repo_key, seq) pending index). SQLite has
       * one writer, so the plain UPDATE suffices (18 µs against 60 µs through the join); PostgreSQL keeps the
       * join's SKIP LOCKED, so a replica never waits on a head another one is claiming.
       */
      repository: dialect === "sqlite"
        ? `UPDATE events SET lease_owner = @owner, lease_token = ${newToken}, lease_until = @until
          WHERE seq = (SELECT MIN(seq) FROM events WHERE status = 'pending' AND repo_key = @repo_key)
            AND status = 'pending' AND next_attempt_at <= @now AND ${leaseFree("lease_until")}
            AND CAST(installation_id AS TEXT) NOT IN ${excluded}
          RETURNING ${EVENT_SELECT}`
        : claimEventHeads(`SELECT MIN(seq) AS seq FROM events WHERE status = 'pending' AND repo_key = @repo_key`),
    },
    finishEvent: `UPDATE events SET status = 'done', payload = '{}', lease_owner = NULL, lease_token = NULL, lease_until = NULL ${fencedEvent}`,
    failEvent: `UPDATE events SET attempts = attempts + 1, last_error = @error,
        status = CASE WHEN CAST(@retry_at AS BIGINT) IS NULL THEN 'failed' ELSE 'pending' END,
        next_attempt_at = COALESCE(CAST(@retry_at AS BIGINT), next_attempt_at),
        lease_owner = NULL, lease_token = NULL, lease_until = NULL ${fencedEvent}`,
    releaseEvent: `UPDATE events SET lease_owner = NULL, lease_token = NULL, lease_until = NULL ${fencedEvent}`,
    renewEvent: `UPDATE events SET lease_until = @until ${fencedEvent}`,
    pendingEventCount: `SELECT COUNT(*) AS n FROM events WHERE status = 'pending'`,
    pruneEvents: `DELETE FROM events WHERE status <> 'pending' AND received_at < @before`,
    recordOnce: `INSERT INTO once_keys (key, done_at) VALUES (@key, @now) ON CONFLICT (key) DO NOTHING`,
    pruneOnceKeys: `DELETE FROM once_keys WHERE done_at < @before`,
    /** Which of these delivery ids (a JSON array) were ever stored, handled or not (until pruned). */
    knownDeliveries: `SELECT delivery_id FROM events WHERE delivery_id IN ${jsonList("@delivery_ids")}`,
    /**
     * A vendor's callback: the active runs of this connection and vendor run id become due now (never later than
     * they were). Nothing else changes: the poll that follows decides the state.
     */
    // The hint is recorded even when the run is already due or being polled: a poll in flight may have read the
    // vendor before the change, so the next time it writes is brought forward (updateRunSql) instead of losing it.
    pollRunsNow: `UPDATE runs SET poll_hint_at = @now,
        next_poll_at = CASE WHEN next_poll_at IS NULL OR next_poll_at > @now THEN @now ELSE next_poll_at END
      WHERE connection = @connection AND vendor_run_id = @vendor_run_id AND ${ACTIVE_STATES_SQL}`,
    /**
     * Read by every metrics scrape and health probe, so from indexes only (plus the first due row): the count from
     * the pending index, the oldest due event as the first due one in arrival order (`seq` follows `received_at`).
     * MIN(received_at) over the pending rows read every row with its payload: 31 ms of blocked event loop at
     * 11,700 pending on SQLite, growing with the backlog.
     */
    eventBacklog: `SELECT (SELECT COUNT(*) FROM events WHERE status = 'pending') AS pending,
        (SELECT received_at FROM events WHERE status = 'pending' AND next_attempt_at <= @now ORDER BY seq LIMIT 1) AS oldest_due`,
    claimRuns: { vendor: claimRuns("vendor"), github: claimRuns("github"), starts: claimRuns("starts") },
    renewRun: { vendor: renewRun("vendor"), github: renewRun("github") },
    releaseRun: { vendor: releaseRun("vendor"), github: releaseRun("github") },
    oldestDueRun: { vendor: oldestDueRun("vendor"), github: oldestDueRun("github") },
    activeRuns: `SELECT vendor, state, COUNT(*) AS n FROM runs WHERE ${ACTIVE_STATES_SQL} GROUP BY vendor, state ORDER BY vendor, state`,
    getRun: `SELECT ${RUN_SELECT} FROM runs WHERE id = @id`,
    getRunByTriggerKey: `SELECT ${RUN_SELECT} FROM runs WHERE trigger_key = @trigger_key`,
    runsForCommit: `SELECT ${RUN_SELECT} FROM runs WHERE owner = @owner AND repo = @repo AND sha = @sha ORDER BY id`,
    addApproval: `INSERT INTO approvals (owner, repo, pr_number, sha, approver, approved_at)
      VALUES (@owner, @repo, @pr_number, @sha, @approver, @approved_at)
      ON CONFLICT (owner, repo, pr_number, sha) DO UPDATE SET approver = excluded.approver, approved_at = excluded.approved_at`,
    isApproved: `SELECT 1 AS approved FROM approvals WHERE owner = @owner AND repo = @repo AND pr_number = @pr_number AND sha = @sha`,
    addResults: `INSERT INTO result_uploads (run_id, format, total, passed, failed, skipped, errored, failures, passed_tests, received_at)
      VALUES (@run_id, @format, @total, @passed, @failed, @skipped, @errored, @failures, @passed_tests, @now)`,
    resultsFor: `SELECT format, total, passed, failed, skipped, errored, failures, passed_tests FROM result_uploads WHERE run_id = @run_id ORDER BY id`,
    recordFlakyTest: `INSERT INTO flaky_tests (owner, repo, pipeline, suite, name, sha, seen_at)
      VALUES (@owner, @repo, @pipeline, @suite, @name, @sha, @now)
      ON CONFLICT (owner, repo, pipeline, suite, name, sha) DO NOTHING`,
    flakiestTests: `SELECT pipeline, suite, name, COUNT(*) AS commits, MAX(seen_at) AS last_seen_at FROM flaky_tests
      WHERE owner = @owner AND repo = @repo GROUP BY pipeline, suite, name
      ORDER BY commits DESC, last_seen_at DESC, pipeline, suite, name LIMIT @limit`,
    /** Final, settled on GitHub (nothing left to publish), and old. */
    prunableRunIds: `SELECT id FROM runs
      WHERE NOT (${ACTIVE_STATES_SQL}) AND COALESCE(finished_at, updated_at) < @before AND publish_due_at IS NULL`,
  };
}
