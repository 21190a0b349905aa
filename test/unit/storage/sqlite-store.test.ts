import { SqliteStore } from "../../../src/storage/sqlite-store.js";
import type { NewRun } from "../../../src/storage/types.js";

const run = (overrides: Partial<NewRun> = {}): NewRun => ({
  installationId: 1, owner: "acme", repo: "app", sha: "a".repeat(40), pipeline: "build", ref: "main", attempt: 1,
  triggerKey: "acme/app@a#build", vendor: "gitlab", connection: "c", request: "{}", prNumber: null, state: "pending",
  reportMode: "checks", timeoutAt: 1000, createdAt: 0, ...overrides,
});

describe("SqliteStore", () => {
  it("stores a delivery once and hands pending ones out in arrival order", async () => {
    const store = new SqliteStore(":memory:");
    expect(await store.addEvent({ deliveryId: "a", name: "push", payload: { n: 1 }, installationId: 1 }, 10)).toBe(true);
    expect(await store.addEvent({ deliveryId: "a", name: "push", payload: { n: 1 }, installationId: 1 }, 11)).toBe(false);
    await store.addEvent({ deliveryId: "b", name: "push", payload: { n: 2 }, installationId: 1 }, 12);
    expect((await store.nextEvent(100))!.deliveryId).toBe("a");
    await store.finishEvent("a");
    expect((await store.nextEvent(100))!.payload).toEqual({ n: 2 });
  });

  it("keeps a failed event for a later attempt, or gives it up", async () => {
    const store = new SqliteStore(":memory:");
    await store.addEvent({ deliveryId: "a", name: "push", payload: {}, installationId: 1 }, 0);
    await store.failEvent("a", "boom", 500);
    expect(await store.nextEvent(100)).toBeUndefined();
    expect((await store.nextEvent(500))!.attempts).toBe(1);
    await store.failEvent("a", "boom", null);
    expect(await store.pendingEventCount()).toBe(0);
  });

  it("forgets old handled deliveries but never pending ones", async () => {
    const store = new SqliteStore(":memory:");
    await store.addEvent({ deliveryId: "old-done", name: "push", payload: {}, installationId: 1 }, 0);
    await store.addEvent({ deliveryId: "old-pending", name: "push", payload: {}, installationId: 1 }, 0);
    await store.addEvent({ deliveryId: "new-done", name: "push", payload: {}, installationId: 1 }, 100);
    await store.finishEvent("old-done");
    await store.finishEvent("new-done");
    expect(await store.pruneEvents(50)).toBe(1);
    expect(await store.addEvent({ deliveryId: "new-done", name: "push", payload: {}, installationId: 1 }, 200)).toBe(false);
    expect(await store.pendingEventCount()).toBe(1);
  });

  it("creates one run per trigger key; other constraint failures throw", async () => {
    const store = new SqliteStore(":memory:");
    expect(await store.createRun(run())).toMatchObject({ id: 1, state: "pending" });
    expect(await store.createRun(run())).toBeUndefined();
    expect(await store.createRun(run({ triggerKey: null, attempt: 2 }))).toMatchObject({ attempt: 2, triggerKey: null });
    // Compared by message: better-sqlite3's errors come from another realm than jest's `Error` under ESM.
    const outcome = await store.createRun(run({ triggerKey: "other", ref: null as never })).then(
      () => "created",
      (error: { message: string }) => error.message,
    );
    expect(outcome).toMatch(/NOT NULL constraint failed: runs.ref/);
  });

  it("finds runs by pipeline, PR and state, and due runs by time", async () => {
    const store = new SqliteStore(":memory:");
    const first = (await store.createRun(run()))!;
    await store.createRun(run({ triggerKey: "k2", pipeline: "docs", prNumber: 7 }));
    await store.updateRun(first.id, { state: "running", nextPollAt: 50 }, 1);
    expect((await store.findRuns({ owner: "acme", repo: "app", states: ["running"] })).map((r) => r.id)).toEqual([1]);
    expect((await store.findRuns({ owner: "acme", repo: "app", prNumber: 7 })).map((r) => r.pipeline)).toEqual(["docs"]);
    expect((await store.dueRuns(49, -1)).map((r) => r.id)).toEqual([]);
    expect((await store.dueRuns(50, -1)).map((r) => r.id)).toEqual([1]);
  });

  it("migrates a database once", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "relay-store-")), "nested", "relay.sqlite");
    const first = new SqliteStore(file);
    await first.createRun(run());
    first.close();
    const again = new SqliteStore(file);
    expect(await again.getRun(1)).toMatchObject({ pipeline: "build" });
    again.close();
  });
});
