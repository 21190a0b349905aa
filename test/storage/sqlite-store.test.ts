import Database from "better-sqlite3";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { MIGRATIONS } from "../../src/storage/migrations.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { storeSql } from "../../src/storage/store-sql.js";
import type { RelayStore } from "../../src/storage/types.js";
import { claim, describeStoreContract, event, newRun } from "./store-contract.js";

describeStoreContract("SQLite (:memory:)", {
  setup: async () => {},
  fresh: async () => new SqliteStore(":memory:"),
  release: (store: RelayStore) => store.close(),
  teardown: async () => {},
});

const tempFile = () => join(mkdtempSync(join(tmpdir(), "relay-store-")), "nested", "relay.sqlite");

describe("SqliteStore", () => {
  it("migrates a database once and keeps its rows", async () => {
    const file = tempFile();
    const first = new SqliteStore(file);
    await first.createRun(newRun({ pipeline: "build" }));
    await first.close();
    const again = new SqliteStore(file);
    expect(await again.getRun(1)).toMatchObject({ pipeline: "build" });
    await again.close();
  });

  it("throws on constraint failures other than a duplicate trigger key", async () => {
    const store = new SqliteStore(":memory:");
    // Compared by message: better-sqlite3's errors come from another realm than jest's `Error` under ESM.
    const outcome = await store.createRun(newRun({ triggerKey: "other", ref: null as never })).then(
      () => "created",
      (error: { message: string }) => error.message,
    );
    expect(outcome).toMatch(/NOT NULL constraint failed: runs.ref/);
    await store.close();
  });

  it("drops a handled event's payload but keeps the row for redelivery checks", async () => {
    const file = tempFile();
    const store = new SqliteStore(file);
    await store.addEvent(event("a", { payload: { big: "x".repeat(1000) } }), 0);
    const [held] = await store.claimEvents(claim("w", 0));
    await store.finishEvent("a", held!.leaseToken);
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare(`SELECT status, payload FROM events WHERE delivery_id = 'a'`).get()).toEqual({ status: "done", payload: "{}" });
    db.close();
  });

  it("upgrades a version-1 database: events keep their order, open runs become due", async () => {
    const file = tempFile();
    mkdirSync(dirname(file), { recursive: true });
    const legacy = new Database(file);
    legacy.exec(MIGRATIONS[0]!);
    legacy.pragma("user_version = 1");
    const insertEvent = legacy.prepare(
      `INSERT INTO events (delivery_id, name, payload, installation_id, status, attempts, next_attempt_at, received_at)
       VALUES (?, 'push', ?, 5, ?, 0, ?, ?)`,
    );
    insertEvent.run("second", JSON.stringify({ repository: { full_name: "acme/app" } }), "pending", 20, 20);
    insertEvent.run("first", JSON.stringify({ repository: { full_name: "acme/app" } }), "pending", 10, 10);
    insertEvent.run("installation", JSON.stringify({ action: "created" }), "pending", 15, 15);
    const insertRun = legacy.prepare(
      `INSERT INTO runs (installation_id, owner, repo, sha, pipeline, ref, attempt, vendor, connection, request, state,
         report_mode, view_key, reported, vendor_run_id, next_poll_at, timeout_at, created_at, updated_at)
       VALUES (5, 'acme', 'app', 'sha', 'build', 'main', 1, 'gitlab', 'c', '{}', ?, 'checks', ?, ?, ?, ?, 999, 1, ?)`,
    );
    insertRun.run("pending", null, null, null, null, 40); // 1: written, maybe triggered
    insertRun.run("running", "v1", "v1", "77", 70, 50); // 2: polled, published
    insertRun.run("success", "v2", "v1", "78", 60, 55); // 3: final, its last view not yet written
    legacy.close();

    const store = new SqliteStore(file);
    const claimed = await store.claimEvents(claim("w", 100));
    expect(claimed.map((e) => [e.deliveryId, e.repoKey])).toEqual([["first", "acme/app"], ["installation", "installation:5"]]);
    expect(await store.getRun(1)).toMatchObject({ nextPollAt: 40, triggerAttempts: 1, publishDueAt: null, cancelRequested: false });
    expect(await store.getRun(2)).toMatchObject({ nextPollAt: 70, triggerAttempts: 1, publishDueAt: null });
    expect(await store.getRun(3)).toMatchObject({ nextPollAt: null, publishDueAt: 55 });
    expect((await store.claimRuns("vendor", claim("w", 100))).map((c) => c.run.id)).toEqual([1, 2]);
    expect((await store.claimRuns("github", claim("w", 100))).map((c) => c.run.id)).toEqual([3]);
    await store.close();
  });

  it("finds due work through the partial indexes, never by scanning the tables", () => {
    const db = new Database(":memory:");
    for (const sql of MIGRATIONS) db.exec(sql);
    db.function("relay_lease_token", { deterministic: false }, () => "t");
    const sql = storeSql("sqlite");
    const plan = (text: string, params: Record<string, unknown>) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(params) as Array<{ detail: string }>).map((row) => row.detail).join("\n");
    const claimParams = { owner: "w", now: 1, until: 2, limit: 10, exclude: "[]" };
    expect(plan(sql.claimRuns.vendor, claimParams)).toMatch(/USING INDEX runs_vendor_due/);
    expect(plan(sql.claimRuns.github, claimParams)).toMatch(/USING INDEX runs_github_due/);
    for (const heads of [sql.claimEvents.recent, sql.claimEvents.all]) {
      expect(plan(heads, claimParams)).toMatch(/events_pending_(heads|repo)/);
      expect(plan(heads, claimParams)).not.toMatch(/SCAN e\b(?! USING)/);
    }
    // The regular claim reads the oldest pending events in order, not the whole pending index, and from the index
    // alone (the rows, each with its payload, are not read to find the heads).
    expect(plan(sql.claimEvents.recent, claimParams)).toMatch(/USING COVERING INDEX events_pending_heads/);
    // The search of the whole backlog seeks from one repository to the next; it never reads every pending entry.
    const allHeads = plan(sql.claimEvents.all, claimParams);
    expect(allHeads).toMatch(/SEARCH \w+ USING COVERING INDEX events_pending_repo \(repo_key>\?\)/);
    expect(allHeads).toMatch(/SEARCH \w+ USING COVERING INDEX events_pending_repo \(repo_key=\?\)/);
    expect(allHeads).not.toMatch(/SCAN events USING COVERING INDEX events_pending_repo/);
    expect(plan(sql.oldestDueRun.vendor, { now: 1 })).toMatch(/USING INDEX runs_vendor_due/);
    // Every metrics scrape reads the backlog: the count from an index alone, the oldest due event by walking the
    // pending index in arrival order (it stops at the first due row), never every pending row with its payload.
    const backlogPlan = plan(sql.eventBacklog, { now: 1 });
    expect(backlogPlan).toMatch(/SCAN events USING COVERING INDEX events_pending_/);
    expect(backlogPlan).toMatch(/SCAN events USING INDEX events_pending_heads/);
    expect(backlogPlan).not.toMatch(/SCAN events$/m);
    db.close();
  });
});
