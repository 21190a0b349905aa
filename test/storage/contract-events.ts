/** Event cases of the store contract (see store-contract.ts). */
import type { RelayStore } from "../../src/storage/types.js";
import { EVENT_HEADS_WINDOW } from "../../src/storage/store-sql.js";
import { claim, event } from "./store-fixtures.js";

export function eventCases(current: () => RelayStore): void {
  let store: RelayStore;
  beforeEach(() => {
    store = current();
  });

  it("records a once-key only the first time, and forgets it with old deliveries", async () => {
    const store = current();
    expect(await store.recordOnce("reply:42", 100)).toBe(true);
    expect(await store.recordOnce("reply:42", 200)).toBe(false);
    expect(await store.recordOnce("reply:43", 200)).toBe(true);
    await store.pruneEvents(150);
    expect(await store.recordOnce("reply:42", 300)).toBe(true);
    expect(await store.recordOnce("reply:43", 300)).toBe(false);
  });

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

  it("reads back a payload stored from the text or from the UTF-8 bytes GitHub sent", async () => {
    const sent = '{"n":1,  "text":"Grüße \\u00e9"}';
    await store.addEvent(event("as-text", { payload: JSON.parse(sent), payloadJson: sent }), 10);
    await store.addEvent(event("as-bytes", { payload: JSON.parse(sent), payloadJson: Buffer.from(sent, "utf8"), repoKey: "acme/lib" }), 10);
    const claimed = await store.claimEvents(claim("w1", 10));
    expect(claimed.map((held) => [held.deliveryId, held.payload])).toEqual([
      ["as-text", { n: 1, text: "Grüße é" }],
      ["as-bytes", { n: 1, text: "Grüße é" }],
    ]);
  });

  it("finds a repository whose first event sits behind a long backlog of another, at most once a second", async () => {
    const backlog = EVENT_HEADS_WINDOW + 20;
    // Far from the other cases' clocks: the once-a-second search is timed by the claims' own clock.
    const T = 50_000_000;
    for (let index = 0; index < backlog; index += 1) await store.addEvent(event(`a${index}`), 1);
    await store.addEvent(event("b1", { repoKey: "acme/lib" }), 2);
    await store.addEvent(event("c1", { repoKey: "acme/web" }), 2);
    // The backlog's head, from the oldest events alone.
    expect((await store.claimEvents(claim("w", T, { limit: 1, leaseMs: 60_000 }))).map((e) => e.deliveryId)).toEqual(["a0"]);
    // With a0 leased the oldest events hold no free head: the whole backlog is searched, b1 and c1 are found.
    expect((await store.claimEvents(claim("w", T, { limit: 1, leaseMs: 60_000 }))).map((e) => e.deliveryId)).toEqual(["b1"]);
    // The next whole search waits its turn (a second), then finds c1.
    expect(await store.claimEvents(claim("w", T + 500, { limit: 1, leaseMs: 60_000 }))).toEqual([]);
    expect((await store.claimEvents(claim("w", T + 1000, { limit: 1, leaseMs: 60_000 }))).map((e) => e.deliveryId)).toEqual(["c1"]);
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

  it("claims one repository's head only: not while it is leased, not before its retry, not for an excluded installation", async () => {
    await store.addEvent(event("a1"), 1);
    await store.addEvent(event("b1", { repoKey: "acme/lib" }), 1);
    await store.addEvent(event("a2"), 2);
    const head = await store.claimRepositoryHead("acme/app", claim("w", 10));
    expect(head).toEqual({
      deliveryId: "a1", name: "push", payload: { id: "a1" }, installationId: 1, attempts: 0, repoKey: "acme/app",
      leaseToken: expect.any(String),
    });
    // a2 waits behind the leased a1; b1 is another repository's.
    expect(await store.claimRepositoryHead("acme/app", claim("w", 10))).toBeUndefined();
    expect(await store.failEvent("a1", head!.leaseToken, "GitHub 502", 500)).toBe(true);
    expect(await store.claimRepositoryHead("acme/app", claim("w", 20))).toBeUndefined();
    expect(await store.claimRepositoryHead("acme/app", claim("w", 500, { exclude: ["1"] }))).toBeUndefined();
    const again = await store.claimRepositoryHead("acme/app", claim("w", 500));
    expect(again).toMatchObject({ deliveryId: "a1", attempts: 1 });
    expect(await store.finishEvent("a1", again!.leaseToken)).toBe(true);
    expect(await store.claimRepositoryHead("acme/app", claim("w", 500))).toMatchObject({ deliveryId: "a2" });
    expect(await store.claimRepositoryHead("acme/none", claim("w", 500))).toBeUndefined();
    expect((await store.claimEvents(claim("w", 500))).map((e) => e.deliveryId)).toEqual(["b1"]);
  });

  it("lets another owner take a repository head whose lease expired, fencing the old token", async () => {
    await store.addEvent(event("a"), 0);
    const old = await store.claimRepositoryHead("acme/app", claim("w1", 0, { leaseMs: 1000 }));
    expect(await store.claimRepositoryHead("acme/app", claim("w2", 999))).toBeUndefined();
    const taken = await store.claimRepositoryHead("acme/app", claim("w2", 1000));
    expect(taken!.leaseToken).not.toBe(old!.leaseToken);
    expect(await store.finishEvent("a", old!.leaseToken)).toBe(false);
    expect(await store.finishEvent("a", taken!.leaseToken)).toBe(true);
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
}
