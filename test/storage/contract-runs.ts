/** Run cases of the store contract (see store-contract.ts). */
import { LeaseLostError } from "../../src/errors.js";
import type { RelayStore, ResultUpload } from "../../src/storage/types.js";
import { claim, event, newRun, upload } from "./store-fixtures.js";

export function runCases(current: () => RelayStore): void {
  let store: RelayStore;
  beforeEach(() => {
    store = current();
  });

  it("claims runs still to be started before polls, however long the polls have been due", async () => {
    for (let i = 0; i < 3; i += 1) await store.createRun(newRun({ triggerKey: `poll-${i}`, state: "running", nextPollAt: 10 + i }));
    await store.createRun(newRun({ triggerKey: "start", state: "pending", nextPollAt: 500 }));
    await store.createRun(newRun({ triggerKey: "lost", state: "starting", nextPollAt: 600 }));
    const claimed = await store.claimRuns("vendor", claim("a", 1_000, { limit: 3 }));
    expect(claimed.map((c) => c.run.triggerKey)).toEqual(["start", "lost", "poll-0"]);
    const next = await store.claimRuns("vendor", claim("b", 1_000, { limit: 5 }));
    expect(next.map((c) => c.run.triggerKey)).toEqual(["poll-1", "poll-2"]);
  });

  it("creates one run per trigger key, any number without one, with empty engine columns", async () => {
    const first = await store.createRun(newRun({ triggerKey: "acme/app@a#build", nextPollAt: 5, createdAt: 3 }));
    expect(first).toMatchObject({
      triggerKey: "acme/app@a#build", state: "pending", nextPollAt: 5, createdAt: 3, updatedAt: 3, publishDueAt: null,
      pollCount: 0, failures: 0, failingSince: null, triggerAttempts: 0, cancelRequested: false, checkCreateSentAt: null,
      view: null, viewKey: null, reported: null, checkRunId: null, startedAt: null, finishedAt: null,
    });
    expect(await store.createRun(newRun({ triggerKey: "acme/app@a#build", attempt: 9 }))).toBeUndefined();
    expect(await store.getRunByTriggerKey("acme/app@a#build")).toEqual(first);
    const loose = [await store.createRun(newRun()), await store.createRun(newRun({ attempt: 2 }))];
    expect(loose.map((run) => run?.attempt)).toEqual([1, 2]);
  });

  it("returns ids, timestamps and GitHub ids as numbers and flags as booleans", async () => {
    const now = 1_764_000_000_000;
    const run = (await store.createRun(newRun({ installationId: 98_765_432_101, createdAt: now, timeoutAt: now + 1 })))!;
    const updated = await store.updateRun(run.id, { checkRunId: 39_876_543_210, cancelRequested: true, startedAt: now + 5 }, now + 6);
    expect(updated).toMatchObject({
      installationId: 98_765_432_101, checkRunId: 39_876_543_210, cancelRequested: true, startedAt: now + 5,
      updatedAt: now + 6, createdAt: now, timeoutAt: now + 1,
    });
    for (const field of ["id", "installationId", "checkRunId", "createdAt", "updatedAt", "timeoutAt", "attempt", "pollCount"] as const) {
      expect(typeof updated[field]).toBe("number");
    }
    expect(await store.getRun(run.id)).toEqual(updated);
    expect((await store.updateRun(run.id, { cancelRequested: false }, now + 7)).cancelRequested).toBe(false);
    await store.addEvent(event("big", { installationId: 98_765_432_101 }), now);
    const [claimed] = await store.claimEvents(claim("w", now));
    expect(claimed).toMatchObject({ installationId: 98_765_432_101, attempts: 0 });
  });

  it("updates without a fence, always stamping updatedAt; a missing run throws", async () => {
    const run = (await store.createRun(newRun()))!;
    const updated = await store.updateRun(run.id, { state: "running", vendorRunId: "77", pollCount: 2 }, 50);
    expect(updated).toMatchObject({ state: "running", vendorRunId: "77", pollCount: 2, updatedAt: 50, createdAt: 0 });
    await expect(store.updateRun(run.id + 1000, { note: "x" }, 60)).rejects.toThrow(/does not exist/);
  });

  it("refuses a fenced write after the lease was taken over, writing nothing", async () => {
    const run = (await store.createRun(newRun({ nextPollAt: 0 })))!;
    const [old] = await store.claimRuns("vendor", claim("w1", 0, { leaseMs: 100 }));
    expect((await store.updateRun(run.id, { pollCount: 1 }, 10, old!.fence)).pollCount).toBe(1);
    const [taken] = await store.claimRuns("vendor", claim("w2", 100));
    expect(taken!.fence.token).not.toBe(old!.fence.token);
    await expect(store.updateRun(run.id, { state: "failure", note: "stale" }, 110, old!.fence)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.getRun(run.id)).toMatchObject({ state: "pending", note: null, pollCount: 1, updatedAt: 10 });
    expect(await store.renewRunLease(run.id, old!.fence, 1000)).toBe(false);
    await store.releaseRun(run.id, old!.fence);
    expect(await store.claimRuns("vendor", claim("w3", 150))).toEqual([]);
    expect((await store.updateRun(run.id, { state: "queued" }, 120, taken!.fence)).state).toBe("queued");
  });

  it("keeps publishDueAt true to the view: due when unpublished, cleared when GitHub caught up", async () => {
    const run = (await store.createRun(newRun()))!;
    expect((await store.updateRun(run.id, { note: "no view yet" }, 5)).publishDueAt).toBeNull();
    expect((await store.updateRun(run.id, { view: "{}", viewKey: "v1" }, 10)).publishDueAt).toBe(10);
    // Still unpublished: the original due time stays (a newer view does not push the write back).
    expect((await store.updateRun(run.id, { view: "{}", viewKey: "v2" }, 20)).publishDueAt).toBe(10);
    expect((await store.updateRun(run.id, { reported: "v2" }, 30)).publishDueAt).toBeNull();
    expect((await store.updateRun(run.id, { pollCount: 3 }, 35)).publishDueAt).toBeNull();
    expect((await store.updateRun(run.id, { viewKey: "v3" }, 40)).publishDueAt).toBe(40);
    expect((await store.updateRun(run.id, { viewKey: null }, 45)).publishDueAt).toBeNull();
  });

  it("keeps a run due when its view changed while the github lane published an older one", async () => {
    const run = (await store.createRun(newRun({ nextPollAt: null })))!;
    await store.updateRun(run.id, { viewKey: "v1", view: "{}" }, 10);
    const [publishing] = await store.claimRuns("github", claim("github-writer", 10));
    await store.updateRun(run.id, { viewKey: "v2", view: "{}" }, 12);
    const published = await store.updateRun(run.id, { reported: "v1" }, 15, publishing!.fence);
    expect(published.publishDueAt).toBe(10);
    await store.releaseRun(run.id, publishing!.fence);
    const [next] = await store.claimRuns("github", claim("github-writer", 16));
    expect(next!.run.viewKey).toBe("v2");
    expect((await store.updateRun(run.id, { reported: "v2" }, 17, next!.fence)).publishDueAt).toBeNull();
  });

  it("lets an explicit publishDueAt win while there is something to publish", async () => {
    const run = (await store.createRun(newRun()))!;
    await store.updateRun(run.id, { viewKey: "v1" }, 10);
    expect((await store.updateRun(run.id, { publishDueAt: 5000 }, 20)).publishDueAt).toBe(5000);
    expect((await store.updateRun(run.id, { publishDueAt: null }, 30)).publishDueAt).toBeNull();
    expect((await store.updateRun(run.id, { reported: "v1", publishDueAt: 9000 }, 40)).publishDueAt).toBeNull();
  });

  it("claims the vendor lane: active and due runs, oldest first, connection exclusion, lease expiry", async () => {
    const late = (await store.createRun(newRun({ nextPollAt: 30, connection: "a" })))!;
    const early = (await store.createRun(newRun({ nextPollAt: 10, connection: "a" })))!;
    const other = (await store.createRun(newRun({ nextPollAt: 20, connection: "b" })))!;
    const notDue = (await store.createRun(newRun({ nextPollAt: 500, connection: "a" })))!;
    const finished = (await store.createRun(newRun({ nextPollAt: 0, connection: "a" })))!;
    await store.updateRun(finished.id, { state: "success" }, 1);
    expect((await store.claimRuns("vendor", claim("w", 100, { exclude: ["b"] }))).map((c) => c.run.id)).toEqual([early.id, late.id]);
    const [claimed] = await store.claimRuns("vendor", claim("w", 100, { limit: 1 }));
    expect(claimed).toEqual({ run: expect.objectContaining({ id: other.id }), fence: { lane: "vendor", token: expect.any(String) } });
    expect(await store.claimRuns("vendor", claim("w", 499))).toEqual([]);
    expect((await store.claimRuns("vendor", claim("w", 1100))).map((c) => c.run.id)).toEqual([early.id, other.id, late.id, notDue.id]);
  });

  it("claims the github lane independently of the vendor lane, excluding installations by id string", async () => {
    const run = (await store.createRun(newRun({ installationId: 7, nextPollAt: 0 })))!;
    await store.updateRun(run.id, { viewKey: "v1", view: "{}" }, 5);
    const [vendor] = await store.claimRuns("vendor", claim("w", 10));
    expect(await store.claimRuns("github", claim("w", 10, { exclude: ["7"] }))).toEqual([]);
    const [github] = await store.claimRuns("github", claim("w", 10));
    expect(github!.fence).toEqual({ lane: "github", token: expect.any(String) });
    expect(github!.fence.token).not.toBe(vendor!.fence.token);
    // Each lane's fence guards only its own lease.
    await expect(store.updateRun(run.id, { note: "x" }, 11, { lane: "github", token: vendor!.fence.token })).rejects.toBeInstanceOf(LeaseLostError);
    expect((await store.updateRun(run.id, { note: "y" }, 11, github!.fence)).note).toBe("y");
    // Releasing the vendor lease leaves the github lease in place.
    await store.releaseRun(run.id, vendor!.fence);
    expect(await store.claimRuns("github", claim("w", 12))).toEqual([]);
    expect(await store.claimRuns("vendor", claim("w", 12))).toHaveLength(1);
    expect(await store.renewRunLease(run.id, github!.fence, 5000)).toBe(true);
    expect(await store.claimRuns("github", claim("w", 4999))).toEqual([]);
    expect(await store.claimRuns("github", claim("w", 5000))).toHaveLength(1);
  });

  it("finds runs by commit, filter and recency", async () => {
    const build = (await store.createRun(newRun()))!;
    const docs = (await store.createRun(newRun({ pipeline: "docs", prNumber: 7 })))!;
    const elsewhere = (await store.createRun(newRun({ repo: "lib", sha: "b".repeat(40) })))!;
    await store.updateRun(build.id, { state: "running" }, 1);
    expect((await store.runsForCommit("acme", "app", "a".repeat(40))).map((r) => r.id)).toEqual([build.id, docs.id]);
    expect((await store.findRuns({ owner: "acme", repo: "app", states: ["running"] })).map((r) => r.id)).toEqual([build.id]);
    expect((await store.findRuns({ owner: "acme", repo: "app", prNumber: 7, pipeline: "docs" })).map((r) => r.id)).toEqual([docs.id]);
    expect((await store.recentRuns(2)).map((r) => r.id)).toEqual([elsewhere.id, docs.id]);
    expect((await store.recentRuns(10, { repo: "app", states: ["pending"] })).map((r) => r.id)).toEqual([docs.id]);
  });

  it("keeps approvals and result uploads", async () => {
    await store.addApproval({ owner: "acme", repo: "app", prNumber: 3, sha: "c".repeat(40), approver: "lead", approvedAt: 1 });
    await store.addApproval({ owner: "acme", repo: "app", prNumber: 3, sha: "c".repeat(40), approver: "other", approvedAt: 2 });
    expect(await store.isApproved("acme", "app", 3, "c".repeat(40))).toBe(true);
    expect(await store.isApproved("acme", "app", 3, "d".repeat(40))).toBe(false);
    const run = (await store.createRun(newRun()))!;
    const failing: ResultUpload = { ...upload, failures: [{ suite: "s", name: "t1", kind: "failure", message: "boom" }] };
    await store.addResults(run.id, upload, 5);
    await store.addResults(run.id, failing, 6);
    expect(await store.resultsFor(run.id)).toEqual([upload, failing]);
  });

  it("prunes old final runs GitHub shows, with their uploads, and keeps active and unpublished ones", async () => {
    const settle = async (state: "success" | "failure", finishedAt: number | null, view?: { viewKey: string; reported: string | null }) => {
      const run = (await store.createRun(newRun()))!;
      return store.updateRun(run.id, { state, finishedAt, nextPollAt: null, ...view }, 50);
    };
    const old = await settle("success", 10, { viewKey: "v", reported: "v" });
    const oldNoFinish = await settle("failure", null);
    const unpublished = await settle("failure", 10, { viewKey: "v", reported: null });
    const recent = await settle("success", 150);
    const active = (await store.createRun(newRun()))!;
    await store.addResults(old.id, upload, 10);
    await store.addResults(recent.id, upload, 150);
    expect(await store.pruneRuns(100)).toBe(2);
    expect(await store.getRun(old.id)).toBeUndefined();
    expect(await store.getRun(oldNoFinish.id)).toBeUndefined();
    expect(await store.resultsFor(old.id)).toEqual([]);
    expect((await store.recentRuns(10)).map((r) => r.id).sort((a, b) => a - b)).toEqual([unpublished.id, recent.id, active.id]);
    expect(await store.resultsFor(recent.id)).toEqual([upload]);
  });

  it("reports the backlog: pending events, the oldest due work, active runs by vendor and state", async () => {
    expect(await store.backlog(0)).toEqual({ pendingEvents: 0, oldestDueEventAt: null, oldestDueRunAt: null, activeRuns: [] });
    await store.addEvent(event("e1"), 100);
    await store.addEvent(event("e2", { repoKey: "x" }), 200);
    const [held] = await store.claimEvents(claim("w", 100, { limit: 1 }));
    await store.failEvent("e1", held!.leaseToken, "later", 10_000);
    const polled = (await store.createRun(newRun({ nextPollAt: 300 })))!;
    await store.createRun(newRun({ nextPollAt: 400, vendor: "zadig" }));
    const leased = (await store.createRun(newRun({ nextPollAt: 50 })))!;
    await store.claimRuns("vendor", claim("w", 50, { limit: 1, leaseMs: 100_000 }));
    const publishing = (await store.createRun(newRun({ nextPollAt: null })))!;
    await store.updateRun(publishing.id, { state: "success", viewKey: "v", publishDueAt: 250 }, 60);
    await store.updateRun(polled.id, { state: "running" }, 60);
    expect(leased.id).toBeGreaterThan(0);
    expect(await store.backlog(1000)).toEqual({
      pendingEvents: 2,
      oldestDueEventAt: 200,
      oldestDueRunAt: 250,
      activeRuns: [
        { vendor: "gitlab", state: "pending", count: 1 },
        { vendor: "gitlab", state: "running", count: 1 },
        { vendor: "zadig", state: "pending", count: 1 },
      ],
    });
    expect((await store.backlog(260)).oldestDueRunAt).toBe(250);
    expect((await store.backlog(200)).oldestDueRunAt).toBeNull();
  });
}
