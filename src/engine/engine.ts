import type { Logger } from "probot";
import { errorMessage, LeaseLostError } from "../errors.js";
import type { ClaimedEvent, ClaimedRun, Lane, RelayStore } from "../storage/types.js";
import { LeaseKeeper } from "./lease-keeper.js";
import { LoopLoad } from "./loop-load.js";
import { Retention } from "./retention.js";
import type { EngineSettings } from "./settings.js";
import { WorkPool } from "./work-pool.js";

/** What the engine schedules; each unit does one step and stores its outcome (and next due time) itself. */
export interface WorkUnits {
  /** Handles a claimed event and finishes or fails it (fenced by its lease token). */
  handleEvent(event: ClaimedEvent, signal: AbortSignal): Promise<void>;
  /** One vendor-lane step of a run: trigger, look up, poll, cancel, conclude. */
  advanceRun(claim: ClaimedRun, signal: AbortSignal): Promise<void>;
  /** Writes a run's latest view to GitHub. */
  publishRun(claim: ClaimedRun, signal: AbortSignal): Promise<void>;
}

export interface EngineDeps {
  store: RelayStore;
  clock: () => number;
  log: Logger;
  settings: EngineSettings;
  /** This process, as recorded on its leases. */
  owner: string;
  /** How often an idle engine looks for due work (new webhooks wake it at once). */
  idleMs: number;
  /** In-flight vendor work allowed per connection (its rate_limit.max_concurrent). */
  connectionCap(connection: string): number;
  units: WorkUnits;
  /** Masks secrets in logged errors. */
  mask(text: string): string;
  /** Whether the acks need the event loop now (default: LoopLoad; tests fix it). */
  loopIsBusy?(): boolean;
}

type Kind = "event" | Lane;

/** The name of a unit in flight here, the same at claim and at start. */
const eventUnitId = (event: ClaimedEvent): string => `event:${event.deliveryId}`;
const runUnitId = (lane: Lane, claim: ClaimedRun): string => `${lane}:${claim.run.id}`;
const KINDS: readonly Kind[] = ["event", "vendor", "github"];
/** The shortest gap between two looks for due work while busy. */
const PUMP_GAP_MS = 20;

/**
 * The scheduler: derives due work from the store's rows (events, runs), claims it with leases and runs it
 * in three bounded pools — events, vendor calls, GitHub writes — with per-installation and per-connection
 * caps. Nothing is queued in memory: a crash loses only leases, which expire and make the work due again.
 */
export class Engine {
  readonly #pools: Record<Kind, WorkPool>;
  readonly #inFlight = new Map<string, { kind: Kind; release: () => Promise<void> }>();
  /** Repositories with an event in flight here, and how many (a redelivered head can briefly make two). */
  readonly #busyRepos = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #pumping: Promise<number> | undefined;
  #again = false;
  #stopping = false;
  #lastPumpAt = 0;
  #kickTimer: NodeJS.Timeout | undefined;
  readonly #loopIsBusy: () => boolean;
  /** Follow-up claims on their way (stop waits for them, so none is left holding a lease). */
  readonly #following = new Set<Promise<void>>();
  readonly #retention: Retention;

  constructor(private readonly deps: EngineDeps) {
    const { per_installation, concurrency } = deps.settings;
    this.#retention = new Retention(deps.store, deps.settings.retention, deps.log);
    const loopLoad = new LoopLoad();
    this.#loopIsBusy = deps.loopIsBusy ?? (() => loopLoad.isBusy());
    this.#pools = {
      event: new WorkPool(concurrency, () => per_installation),
      vendor: new WorkPool(concurrency, (key) => deps.connectionCap(key)),
      github: new WorkPool(concurrency, () => per_installation),
    };
  }

  /** Starts looking for due work: now, every idle interval, and whenever kicked. */
  start(): void {
    this.#timer = setInterval(() => this.kick(), this.deps.idleMs);
    this.#timer.unref();
    this.kick();
  }

  /**
   * Looks for due work soon (a webhook was stored, a unit finished). Kicks coalesce: at most one look every
   * PUMP_GAP_MS, so a burst of webhooks costs a few claims, not one per request, and the ack path keeps the CPU.
   */
  kick(): void {
    // Not started (tests drive the engine with runUntilIdle) or stopping: nothing runs in the background.
    if (this.#stopping || !this.#timer) return;
    if (this.#pumping || this.#kickTimer) {
      this.#again = true;
      return;
    }
    const wait = this.#lastPumpAt + PUMP_GAP_MS - Date.now();
    if (wait > 0) {
      this.#kickTimer = setTimeout(() => {
        this.#kickTimer = undefined;
        this.kick();
      }, wait);
      return;
    }
    this.#lastPumpAt = Date.now();
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      if (this.#again) {
        this.#again = false;
        this.kick();
      }
    });
  }

  /**
   * A webhook of this repository was stored. Events of one repository are handled in order, so while one of its
   * events is in flight here the new one cannot be claimed: that event's finish looks for work anyway. Skipping
   * the look keeps a burst on one busy repository from costing a claim every few milliseconds on the ack path.
   */
  eventStored(repoKey: string): void {
    if (!this.#busyRepos.has(repoKey)) this.kick();
  }

  /** Units in flight per kind (metrics, health). */
  get busy(): Record<Kind, number> {
    return { event: this.#pools.event.size, vendor: this.#pools.vendor.size, github: this.#pools.github.size };
  }

  /**
   * Tests and tools: runs every unit that is due at the current clock, and what those make due, until nothing
   * is. Returns how many units ran.
   */
  async runUntilIdle(maxRounds = 200): Promise<number> {
    let total = 0;
    for (let round = 0; round < maxRounds; round += 1) {
      const started = await this.#claimAll();
      await Promise.all(KINDS.map((kind) => this.#pools[kind].settled()));
      total += started;
      if (started === 0) return total;
    }
    throw new Error(`work was still due after ${maxRounds} rounds: a unit keeps making itself due`);
  }

  /** Stops claiming, lets in-flight work finish within the shutdown deadline, and gives back what did not. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    clearTimeout(this.#kickTimer);
    await Promise.all([this.#pumping, ...this.#following]);
    const deadline = this.deps.settings.shutdown_seconds * 1000;
    // Leave a little of the deadline for giving leases back and closing the store.
    const finished = await Promise.all(KINDS.map((kind) => this.#pools[kind].settled(Math.max(0, deadline - 2000))));
    if (finished.every(Boolean)) return;
    const unfinished = [...this.#inFlight.values()];
    this.deps.log.warn({ units: unfinished.length }, "shutdown deadline reached: giving unfinished work back");
    await Promise.allSettled(unfinished.map((unit) => unit.release()));
  }

  async #pump(): Promise<number> {
    try {
      const started = await this.#claimAll();
      await this.#retention.pruneNowAndThen(this.deps.clock());
      return started;
    } catch (error) {
      this.deps.log.error({ err: this.deps.mask(errorMessage(error)) }, "looking for due work failed; trying again shortly");
      return 0;
    }
  }

  async #claimAll(): Promise<number> {
    const counts = await Promise.all(KINDS.map((kind) => this.#claim(kind)));
    return counts.reduce((a, b) => a + b, 0);
  }

  async #claim(kind: Kind): Promise<number> {
    let started = 0;
    // A batch can hold more rows of one key than its cap allows; those go straight back and the claim is
    // repeated without that key, so a busy key never crowds the others out of a round.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { started: now, gaveBack } = await this.#claimBatch(kind);
      started += now;
      if (gaveBack === 0) break;
    }
    return started;
  }

  /**
   * Claims a batch of due work and starts it. A claimed row whose unit is still in flight here (its lease ran out
   * while this process was stalled) is given back at once: the claim has already fenced the old unit's writes, and
   * a second unit beside it could repeat a side effect the first is still waiting on (a check-run create, a
   * trigger). The row is due again and is taken once the old unit has ended.
   */
  async #claimBatch(kind: Kind): Promise<{ started: number; gaveBack: number }> {
    const pool = this.#pools[kind];
    if (pool.free === 0 || this.#stopping) return { started: 0, gaveBack: 0 };
    const { store, clock, owner } = this.deps;
    const options = { owner, now: clock(), leaseMs: this.#leaseMs, limit: pool.free, exclude: pool.saturatedKeys() };
    let started = 0;
    let gaveBack = 0;
    if (kind === "event") {
      for (const event of await store.claimEvents(options)) {
        const outcome = await this.#startOrGiveBack(event);
        if (outcome === "started") started += 1;
        else if (outcome === "no room") gaveBack += 1;
      }
      return { started, gaveBack };
    }
    for (const claim of await store.claimRuns(kind, options)) {
      if (this.#inFlight.has(runUnitId(kind, claim))) {
        await store.releaseRun(claim.run.id, claim.fence);
        continue;
      }
      const key = kind === "vendor" ? claim.run.connection : String(claim.run.installationId);
      if (!pool.hasRoomFor(key) || pool.free === 0) {
        await store.releaseRun(claim.run.id, claim.fence);
        gaveBack += 1;
        continue;
      }
      this.#startRun(kind, key, claim);
      started += 1;
    }
    return { started, gaveBack };
  }

  #startEvent(event: ClaimedEvent): void {
    const { store } = this.deps;
    const id = eventUnitId(event);
    const keeper = this.#keeper((until) => store.renewEventLease(event.deliveryId, event.leaseToken, until));
    this.#inFlight.set(id, { kind: "event", release: () => store.releaseEvent(event.deliveryId, event.leaseToken) });
    this.#countRepoEvent(event.repoKey, +1);
    this.#pools.event.start(
      String(event.installationId),
      () => this.#guard(`event ${event.deliveryId}`, () => this.deps.units.handleEvent(event, keeper.signal)),
      () => {
        this.#countRepoEvent(event.repoKey, -1);
        this.#settle(id, keeper);
        // After the loop's next look at its sockets: a handled event can finish without real I/O (a cached config,
        // a synchronous SQLite write), and a chain of them in microtasks would hold every request meanwhile.
        setImmediate(() => {
          const following = this.#follow(event.repoKey).finally(() => this.#following.delete(following));
          this.#following.add(following);
        });
      },
    );
  }

  /**
   * Claims the repository's next event right after its last one, instead of at the next look: events of one
   * repository run one at a time, so at one look per PUMP_GAP_MS a single busy repository was handled at ~45 events
   * a second however idle the process. Only while the event loop has room (LoopLoad): when it is busier, the acks
   * come first and the repository waits for the next look.
   */
  async #follow(repoKey: string): Promise<void> {
    const pool = this.#pools.event;
    if (!this.#timer || this.#stopping || this.#busyRepos.has(repoKey) || pool.free === 0 || this.#loopIsBusy()) return;
    const { store, clock, owner } = this.deps;
    try {
      const event = await store.claimRepositoryHead(repoKey, { owner, now: clock(), leaseMs: this.#leaseMs, limit: 1, exclude: pool.saturatedKeys() });
      if (!event) return;
      // Checked again after the claim: the engine may be stopping, or the regular look may have started this
      // repository's event meanwhile.
      if (this.#stopping || this.#busyRepos.has(repoKey)) await store.releaseEvent(event.deliveryId, event.leaseToken);
      else await this.#startOrGiveBack(event);
    } catch (error) {
      this.deps.log.error({ err: this.deps.mask(errorMessage(error)) }, "claiming a repository's next event failed; the next look takes it");
    }
  }

  /**
   * Starts a claimed event, or gives it back: when its unit is still in flight here (see #claimBatch), or when its
   * installation or the pool has no room left.
   */
  async #startOrGiveBack(event: ClaimedEvent): Promise<"started" | "in flight" | "no room"> {
    const pool = this.#pools.event;
    const inFlight = this.#inFlight.has(eventUnitId(event));
    if (!inFlight && pool.free > 0 && pool.hasRoomFor(String(event.installationId))) {
      this.#startEvent(event);
      return "started";
    }
    await this.deps.store.releaseEvent(event.deliveryId, event.leaseToken);
    return inFlight ? "in flight" : "no room";
  }

  #countRepoEvent(repoKey: string, change: 1 | -1): void {
    const count = (this.#busyRepos.get(repoKey) ?? 0) + change;
    if (count > 0) this.#busyRepos.set(repoKey, count);
    else this.#busyRepos.delete(repoKey);
  }

  #startRun(lane: Lane, key: string, claim: ClaimedRun): void {
    const { store } = this.deps;
    const id = runUnitId(lane, claim);
    const keeper = this.#keeper((until) => store.renewRunLease(claim.run.id, claim.fence, until));
    const release = () => store.releaseRun(claim.run.id, claim.fence);
    this.#inFlight.set(id, { kind: lane, release });
    const unit = lane === "vendor" ? this.deps.units.advanceRun : this.deps.units.publishRun;
    this.#pools[lane].start(
      key,
      async () => {
        await this.#guard(`run ${claim.run.id} (${lane})`, () => unit.call(this.deps.units, claim, keeper.signal));
        await release();
      },
      () => this.#settle(id, keeper),
    );
  }

  #keeper(renew: (until: number) => Promise<boolean>): LeaseKeeper {
    return new LeaseKeeper(this.#leaseMs, this.deps.clock, renew, (error) =>
      this.deps.log.warn({ err: this.deps.mask(errorMessage(error)) }, "renewing a lease failed"),
    );
  }

  #settle(id: string, keeper: LeaseKeeper): void {
    keeper.stop();
    this.#inFlight.delete(id);
    // A finished unit frees a slot and often makes other work due (a publish after a poll).
    this.kick();
  }

  /** A unit's failure is logged; the row keeps its due time, so the work is tried again after the lease. */
  async #guard(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (error instanceof LeaseLostError) this.deps.log.info({ unit: what }, error.message);
      else this.deps.log.error({ unit: what, err: this.deps.mask(errorMessage(error)) }, "a unit of work failed");
    }
  }

  get #leaseMs(): number {
    return this.deps.settings.lease_seconds * 1000;
  }
}
