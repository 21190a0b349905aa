import { LeaseLostError } from "../../src/errors.js";
import type { ClaimOptions, NewEvent, NewRun, RelayStore, ResultUpload } from "../../src/storage/types.js";

/** How one store implementation is opened for the shared cases. */
export interface StoreTarget {
  /** Once per file (PGlite and servers are slow to open). */
  setup(): Promise<void>;
  /** An empty store for one test. */
  fresh(): Promise<RelayStore>;
  /** After each test (SQLite closes its database; shared stores keep theirs). */
  release(store: RelayStore): Promise<void>;
  teardown(): Promise<void>;
}

export const event = (deliveryId: string, overrides: Partial<NewEvent> = {}): NewEvent => ({
  deliveryId, name: "push", payload: { id: deliveryId }, installationId: 1, repoKey: "acme/app", ...overrides,
});

export const newRun = (overrides: Partial<NewRun> = {}): NewRun => ({
  installationId: 1, owner: "acme", repo: "app", sha: "a".repeat(40), pipeline: "build", ref: "main", attempt: 1,
  triggerKey: null, vendor: "gitlab", connection: "gitlab-main", request: "{}", prNumber: null, state: "pending",
  reportMode: "checks", nextPollAt: 0, timeoutAt: 10_000_000, createdAt: 0, ...overrides,
});

export const claim = (owner: string, now: number, overrides: Partial<ClaimOptions> = {}): ClaimOptions => ({
  owner, now, leaseMs: 1000, limit: 10, ...overrides,
});

const upload: ResultUpload = { format: "summary", total: 3, passed: 2, failed: 1, skipped: 0, errored: 0, failures: [] };

/** The cases every RelayStore must pass, whatever database is behind it. */
export function describeStoreContract(name: string, target: StoreTarget, describeFn: jest.Describe = describe): void {
  describeFn(`${name} store contract`, () => {
    let store: RelayStore;
    beforeAll(() => target.setup(), 60_000);
    beforeEach(async () => {
      store = await target.fresh();
    });
    afterEach(() => target.release(store));
    afterAll(() => target.teardown(), 30_000);

    describe("events", () => {
      it("stores a delivery once and hands out its payload with a lease", async () => {
        expect(await store.addEvent(event("a", { payload: { n: 1 } }), 10)).toBe(true);
        expect(await store.addEvent(event("a", { payload: { n: 2 } }), 11)).toBe(false);
        expect(await store.pendingEventCount()).toBe(1);
        const [claimed, ...rest] = await store.claimEvents(claim("w1", 10));
        expect(rest).toEqual([]);
        expect(claimed).toEqual({
          deliveryId: "a", name: "push", payload: { n: 1 }, installationId: 1, attempts: 0, repoKey: "acme/app",
          leaseToken: expect.any(String),
        });
        expect(await store.claimEvents(claim("w2", 10))).toEqual([]);
      });

      it("hands out only the oldest pending event of each repository, oldest first, up to the limit", async () => {
        await store.addEvent(event("a1"), 1);
        await store.addEvent(event("b1", { repoKey: "acme/lib" }), 1);
        await store.addEvent(event("a2"), 2);
        await store.addEvent(event("c1", { repoKey: "acme/web" }), 3);
        expect((await store.claimEvents(claim("w", 10, { limit: 2 }))).map((e) => e.deliveryId)).toEqual(["a1", "b1"]);
        // a1 is leased, a2 waits behind it; c1 is free.
        expect((await store.claimEvents(claim("w", 10))).map((e) => e.deliveryId)).toEqual(["c1"]);
      });

      it("keeps a repository's later event back while an earlier one waits for its retry", async () => {
        await store.addEvent(event("a1"), 1);
        await store.addEvent(event("a2"), 2);
        const [first] = await store.claimEvents(claim("w", 10));
        expect(await store.failEvent("a1", first!.leaseToken, "GitHub 502", 500)).toBe(true);
        expect(await store.claimEvents(claim("w", 20))).toEqual([]);
        const [again] = await store.claimEvents(claim("w", 500));
        expect(again).toMatchObject({ deliveryId: "a1", attempts: 1 });
        expect(await store.finishEvent("a1", again!.leaseToken)).toBe(true);
        expect((await store.claimEvents(claim("w", 500))).map((e) => e.deliveryId)).toEqual(["a2"]);
      });

      it("skips excluded installations (ids as strings) without skipping their repositories' order", async () => {
        await store.addEvent(event("one", { installationId: 1 }), 1);
        await store.addEvent(event("two", { installationId: 22, repoKey: "other/app" }), 2);
        expect((await store.claimEvents(claim("w", 10, { exclude: ["1"] }))).map((e) => e.deliveryId)).toEqual(["two"]);
        expect((await store.claimEvents(claim("w", 10, { exclude: ["22"] }))).map((e) => e.deliveryId)).toEqual(["one"]);
      });

      it("lets another owner take an expired lease, after which the old token can neither finish nor fail", async () => {
        await store.addEvent(event("a"), 0);
        const [old] = await store.claimEvents(claim("w1", 0, { leaseMs: 1000 }));
        expect(await store.claimEvents(claim("w2", 999))).toEqual([]);
        const [taken] = await store.claimEvents(claim("w2", 1000));
        expect(taken!.leaseToken).not.toBe(old!.leaseToken);
        expect(await store.finishEvent("a", old!.leaseToken)).toBe(false);
        expect(await store.failEvent("a", old!.leaseToken, "late", null)).toBe(false);
        expect(await store.renewEventLease("a", old!.leaseToken, 5000)).toBe(false);
        await store.releaseEvent("a", old!.leaseToken);
        expect(await store.claimEvents(claim("w3", 1500))).toEqual([]);
        expect(await store.finishEvent("a", taken!.leaseToken)).toBe(true);
        expect(await store.pendingEventCount()).toBe(0);
      });

      it("renews a lease so nobody else takes the event", async () => {
        await store.addEvent(event("a"), 0);
        const [held] = await store.claimEvents(claim("w1", 0, { leaseMs: 1000 }));
        expect(await store.renewEventLease("a", held!.leaseToken, 3000)).toBe(true);
        expect(await store.claimEvents(claim("w2", 2999))).toEqual([]);
        expect(await store.claimEvents(claim("w2", 3000))).toHaveLength(1);
      });

      it("retries a failed event later, or gives it up", async () => {
        await store.addEvent(event("a"), 0);
        const [first] = await store.claimEvents(claim("w", 0));
        expect(await store.failEvent("a", first!.leaseToken, "boom", 500)).toBe(true);
        expect(await store.pendingEventCount()).toBe(1);
        expect(await store.claimEvents(claim("w", 499))).toEqual([]);
        const [second] = await store.claimEvents(claim("w", 500));
        expect(second!.attempts).toBe(1);
        expect(await store.failEvent("a", second!.leaseToken, "boom", null)).toBe(true);
        expect(await store.pendingEventCount()).toBe(0);
        expect(await store.claimEvents(claim("w", 10_000))).toEqual([]);
        expect(await store.finishEvent("a", second!.leaseToken)).toBe(false);
      });

      it("gives a released event back to any worker at once, untouched", async () => {
        await store.addEvent(event("a"), 0);
        const [held] = await store.claimEvents(claim("w1", 0, { leaseMs: 60_000 }));
        await store.releaseEvent("a", held!.leaseToken);
        const [again] = await store.claimEvents(claim("w2", 1));
        expect(again).toMatchObject({ deliveryId: "a", attempts: 0, payload: { id: "a" } });
      });

      it("forgets old handled and given-up deliveries but never pending ones", async () => {
        for (const [id, at] of [["old-done", 0], ["old-failed", 0], ["old-pending", 0], ["new-done", 100]] as const) {
          await store.addEvent(event(id, { repoKey: id }), at);
        }
        const claimed = await store.claimEvents(claim("w", 100));
        const token = (id: string) => claimed.find((e) => e.deliveryId === id)!.leaseToken;
        await store.finishEvent("old-done", token("old-done"));
        await store.failEvent("old-failed", token("old-failed"), "bad", null);
        await store.finishEvent("new-done", token("new-done"));
        expect(await store.pruneEvents(50)).toBe(2);
        expect(await store.addEvent(event("new-done"), 200)).toBe(false);
        expect(await store.addEvent(event("old-done", { repoKey: "x" }), 200)).toBe(true);
        expect(await store.pendingEventCount()).toBe(2);
      });
    });

    describe("runs", () => {
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
    });
  });
}
