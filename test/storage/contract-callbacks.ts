/** Store cases for missed deliveries and vendor callbacks (see store-contract.ts). */
import type { RelayStore } from "../../src/storage/types.js";
import { claim, event, newRun } from "./store-fixtures.js";

export function deliveryAndCallbackCases(current: () => RelayStore): void {
  it("knows which delivery ids were stored, pending, handled or given up, until they are pruned", async () => {
    const store = current();
    await store.addEvent(event("handled"), 10);
    await store.addEvent(event("pending", { repoKey: "acme/other" }), 11);
    const [claimed] = await store.claimEvents(claim("w", 20, { limit: 1 }));
    await store.finishEvent(claimed!.deliveryId, claimed!.leaseToken);
    expect(await store.knownDeliveries(["handled", "pending", "never-seen"])).toEqual(new Set(["handled", "pending"]));
    expect(await store.knownDeliveries([])).toEqual(new Set());
    await store.pruneEvents(100);
    expect(await store.knownDeliveries(["handled", "pending"])).toEqual(new Set(["pending"]));
  });

  it("makes a connection's active runs with a vendor run id due now, and nothing else", async () => {
    const store = current();
    const polledLater = (await store.createRun(newRun({ nextPollAt: 5_000 })))!;
    await store.updateRun(polledLater.id, { state: "running", vendorRunId: "61", nextPollAt: 5_000 }, 1);
    const dueEarlier = (await store.createRun(newRun({ sha: "b".repeat(40) })))!;
    await store.updateRun(dueEarlier.id, { state: "running", vendorRunId: "61", nextPollAt: 50 }, 1);
    const otherConnection = (await store.createRun(newRun({ connection: "gitlab-other", sha: "c".repeat(40) })))!;
    await store.updateRun(otherConnection.id, { state: "running", vendorRunId: "61", nextPollAt: 5_000 }, 1);
    const finished = (await store.createRun(newRun({ sha: "d".repeat(40) })))!;
    await store.updateRun(finished.id, { state: "success", vendorRunId: "61", nextPollAt: null }, 1);

    expect(await store.pollRunsNow("gitlab-main", "61", 100)).toBe(2);
    expect((await store.getRun(polledLater.id))!).toMatchObject({ nextPollAt: 100, state: "running" });
    expect((await store.getRun(dueEarlier.id))!.nextPollAt).toBe(50);
    expect((await store.getRun(otherConnection.id))!.nextPollAt).toBe(5_000);
    expect((await store.getRun(finished.id))!).toMatchObject({ nextPollAt: null, state: "success" });
    expect(await store.pollRunsNow("gitlab-main", "62", 100)).toBe(0);
  });

  it("keeps a hint that arrives while the run is being polled: the poll's next time is brought forward once", async () => {
    const store = current();
    const run = (await store.createRun(newRun()))!;
    await store.updateRun(run.id, { state: "running", vendorRunId: "70", nextPollAt: 10 }, 1);
    const [claimed] = await store.claimRuns("vendor", claim("w", 20, { limit: 1 }));
    expect(claimed!.run.id).toBe(run.id);
    expect(await store.pollRunsNow("gitlab-main", "70", 30)).toBe(1);
    // The poll in flight ends and asks for its usual backoff: the hint makes it due at once instead.
    expect((await store.updateRun(run.id, { nextPollAt: 90_000 }, 40, claimed!.fence)).nextPollAt).toBe(40);
    await store.releaseRun(run.id, claimed!.fence);
    // The hint is used up: the next poll's backoff stands.
    const [again] = await store.claimRuns("vendor", claim("w", 50, { limit: 1 }));
    expect((await store.updateRun(run.id, { nextPollAt: 90_000 }, 60, again!.fence)).nextPollAt).toBe(90_000);
  });

  it("lets a claim consume a hint that arrived before it", async () => {
    const store = current();
    const run = (await store.createRun(newRun()))!;
    await store.updateRun(run.id, { state: "running", vendorRunId: "71", nextPollAt: 5_000 }, 1);
    expect(await store.pollRunsNow("gitlab-main", "71", 30)).toBe(1);
    const [claimed] = await store.claimRuns("vendor", claim("w", 40, { limit: 1 }));
    expect((await store.updateRun(run.id, { nextPollAt: 90_000 }, 50, claimed!.fence)).nextPollAt).toBe(90_000);
  });
}
