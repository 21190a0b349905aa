import { pino } from "pino";
import { Engine, type WorkUnits } from "../../../src/engine/engine.js";
import { engineSettings } from "../../../src/engine/settings.js";
import { LeaseLostError } from "../../../src/errors.js";
import { SqliteStore } from "../../../src/storage/sqlite-store.js";
import { waitUntil as until } from "../../helpers/wait-until.js";
import type { ClaimedRun, NewRun, RelayStore } from "../../../src/storage/types.js";

const silent = pino({ level: "silent" });

function newRun(connection: string, index: number): NewRun {
  return {
    installationId: 1, owner: "acme", repo: "app", sha: `${index}`.padStart(40, "0"), pipeline: "build", ref: "main", attempt: 1,
    triggerKey: `${connection}-${index}`, vendor: "gitlab", connection, request: "{}", prNumber: null, state: "queued",
    reportMode: "checks", nextPollAt: 0, timeoutAt: 10_000_000, createdAt: 0,
  };
}

function engineOver(store: RelayStore, units: Partial<WorkUnits>, clock: () => number, caps: Record<string, number> = {}, loopIsBusy?: () => boolean) {
  const none = async () => undefined;
  return new Engine({
    ...(loopIsBusy ? { loopIsBusy } : {}),
    store,
    clock,
    log: silent,
    settings: engineSettings.parse({ concurrency: 4, lease_seconds: 60 }),
    owner: "test",
    idleMs: 1000,
    connectionCap: (name) => caps[name] ?? 4,
    units: { handleEvent: none, advanceRun: none, publishRun: none, ...units },
    mask: (text) => text,
  });
}

describe("Engine", () => {
  it("a connection whose calls hang holds only its own slots: the other connection's runs all advance", async () => {
    const store = new SqliteStore(":memory:");
    for (let i = 0; i < 6; i += 1) await store.createRun(newRun("stalled", i));
    for (let i = 0; i < 6; i += 1) await store.createRun(newRun("healthy", 100 + i));
    const advanced: string[] = [];
    const release: Array<() => void> = [];
    const engine = engineOver(
      store,
      {
        async advanceRun({ run, fence }: ClaimedRun) {
          if (run.connection === "stalled") await new Promise<void>((resolve) => release.push(resolve));
          advanced.push(run.connection);
          await store.updateRun(run.id, { nextPollAt: null, state: "success" }, 0, fence);
        },
      },
      () => 0,
      { stalled: 2, healthy: 2 },
    );
    engine.start();
    // The stalled connection holds two slots and never more; the healthy one cycles through the others.
    await until(() => advanced.length === 6);
    expect(advanced).toEqual(Array(6).fill("healthy"));
    expect(engine.busy.vendor).toBe(2);
    while (advanced.length < 12) {
      release.splice(0).forEach((resume) => resume());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(advanced.filter((c) => c === "stalled")).toHaveLength(6);
    await engine.stop();
  });

  it("a unit whose lease expired is taken over, and the first worker's late write is refused", async () => {
    const store = new SqliteStore(":memory:");
    await store.createRun(newRun("c", 1));
    let now = 0;
    let firstFence: ClaimedRun["fence"] | undefined;
    let resumeFirst!: () => void;
    const first = engineOver(
      store,
      {
        async advanceRun({ fence }: ClaimedRun) {
          firstFence = fence;
          await new Promise<void>((resolve) => (resumeFirst = resolve));
        },
      },
      () => now,
    );
    const hung = first.runUntilIdle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    now += 61_000; // the first worker's lease runs out (it hangs, or its process died)

    const second = engineOver(
      store,
      {
        async advanceRun({ run, fence }: ClaimedRun) {
          await store.updateRun(run.id, { state: "success", nextPollAt: null, note: "second" }, now, fence);
        },
      },
      () => now,
    );
    expect(await second.runUntilIdle()).toBe(1);
    await expect(store.updateRun(1, { state: "failure", note: "first" }, now, firstFence)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.getRun(1)).toMatchObject({ state: "success", note: "second" });
    resumeFirst();
    await hung;
  });

  it("a unit still in flight here when its lease runs out (a stalled process) is not started a second time beside it", async () => {
    const store = new SqliteStore(":memory:");
    await store.createRun(newRun("c", 1));
    let now = 0;
    const started: string[] = [];
    let finishFirst!: () => void;
    const engine = engineOver(
      store,
      {
        async publishRun() {
          throw new Error("no view to publish");
        },
        async advanceRun({ run, fence }: ClaimedRun) {
          started.push(fence.token);
          if (started.length === 1) {
            await new Promise<void>((resolve) => (finishFirst = resolve));
            return;
          }
          await store.updateRun(run.id, { state: "success", nextPollAt: null }, now, fence);
          succeeded = true;
        },
      },
      () => now,
    );
    let succeeded = false;
    engine.start();
    await until(() => finishFirst !== undefined);
    now += 61_000; // the lease ran out while the unit is still running
    engine.kick();
    await new Promise((resolve) => setTimeout(resolve, 60));
    // The row was claimed, found in flight here and given back: still one unit, and the row is free for a later claim.
    expect(started).toHaveLength(1);
    expect(engine.busy.vendor).toBe(1);
    finishFirst();
    await until(() => succeeded);
    expect(started).toHaveLength(2);
    await engine.stop();
  });

  it("stop() gives back units that do not finish within the shutdown deadline, so another worker can take them at once", async () => {
    const store = new SqliteStore(":memory:");
    await store.createRun(newRun("c", 1));
    const engine = new Engine({
      store,
      clock: () => 0,
      log: silent,
      settings: engineSettings.parse({ shutdown_seconds: 2.1 }),
      owner: "test",
      idleMs: 60_000,
      connectionCap: () => 4,
      units: { handleEvent: async () => undefined, publishRun: async () => undefined, advanceRun: () => new Promise<void>(() => undefined) },
      mask: (text) => text,
    });
    engine.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.busy.vendor).toBe(1);
    expect(await store.claimRuns("vendor", { owner: "other", now: 0, leaseMs: 60_000, limit: 5 })).toHaveLength(0);
    await engine.stop();
    expect(await store.claimRuns("vendor", { owner: "other", now: 0, leaseMs: 60_000, limit: 5 })).toHaveLength(1);
  });

  it("a webhook of a repository whose event is in flight does not make the engine look for work; another repository's does", async () => {
    const store = new SqliteStore(":memory:");
    const event = (id: string, repoKey: string) => ({ deliveryId: id, name: "push", payload: {}, installationId: 1, repoKey });
    await store.addEvent(event("busy-1", "acme/busy"), 0);
    let claims = 0;
    const counting = new Proxy(store, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (key === "claimEvents") claims += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const handled: string[] = [];
    let finishBusy!: () => void;
    const engine = engineOver(
      counting,
      {
        async handleEvent({ deliveryId, leaseToken }) {
          if (deliveryId === "busy-1") await new Promise<void>((resolve) => (finishBusy = resolve));
          handled.push(deliveryId);
          await store.finishEvent(deliveryId, leaseToken);
        },
      },
      () => 0,
    );
    engine.start();
    await until(() => finishBusy !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const claimsWhileBusy = claims;
    await store.addEvent(event("busy-2", "acme/busy"), 0);
    engine.eventStored("acme/busy");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(claims).toBe(claimsWhileBusy);
    await store.addEvent(event("other-1", "acme/other"), 0);
    engine.eventStored("acme/other");
    await until(() => handled.includes("other-1"));
    expect(claims).toBeGreaterThan(claimsWhileBusy);
    // The in-flight event's finish looks for work: the waiting event of its repository follows.
    finishBusy();
    await until(() => handled.includes("busy-2"));
    expect(handled).toEqual(["other-1", "busy-1", "busy-2"]);
    await engine.stop();
  });

  describe("a repository's next event", () => {
    /** Ten pushes to one repository, handled with the loop idle or busy; counts where each claim came from. */
    async function handleTen(loopIsBusy: boolean) {
      const store = new SqliteStore(":memory:");
      for (let index = 0; index < 10; index += 1) {
        await store.addEvent({ deliveryId: `d${index}`, name: "push", payload: {}, installationId: 1, repoKey: "acme/app" }, 0);
      }
      const claimed = { byLook: 0, byFollowUp: 0 };
      const counting = new Proxy(store, {
        get(target, key) {
          const value = Reflect.get(target, key) as unknown;
          if (typeof value !== "function") return value;
          return async (...args: unknown[]) => {
            const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            if (key === "claimEvents") claimed.byLook += (result as unknown[]).length;
            if (key === "claimRepositoryHead" && result) claimed.byFollowUp += 1;
            return result;
          };
        },
      });
      const handled: string[] = [];
      const engine = engineOver(counting, {
        async handleEvent({ deliveryId, leaseToken }) {
          handled.push(deliveryId);
          await store.finishEvent(deliveryId, leaseToken);
        },
      }, () => 0, {}, () => loopIsBusy);
      engine.start();
      await until(() => handled.length === 10, "the ten events handled", 10_000);
      await engine.stop();
      return { handled, claimed };
    }

    it("is claimed as soon as the last one is done while the event loop has room", async () => {
      const { handled, claimed } = await handleTen(false);
      expect(handled).toEqual(Array.from({ length: 10 }, (_, index) => `d${index}`));
      expect(claimed.byLook + claimed.byFollowUp).toBe(10);
      // The regular look runs at most every 20 ms and the follow-up in the next turn of the loop, so the follow-up
      // takes most (all but the first, usually); the bound leaves room for a slow machine, where a look can come
      // between two turns. Without the follow-up the looks take all ten.
      expect(claimed.byFollowUp).toBeGreaterThanOrEqual(3);
    });

    it("waits for the regular look while the event loop is busy (the acks come first)", async () => {
      const { handled, claimed } = await handleTen(true);
      expect(handled).toEqual(Array.from({ length: 10 }, (_, index) => `d${index}`));
      expect(claimed).toEqual({ byLook: 10, byFollowUp: 0 });
    });
  });
});
