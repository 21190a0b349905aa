import type { Logger } from "probot";
import { errorMessage } from "../errors.js";
import { listDeliveriesSince, requestRedelivery, type DeliverySettings } from "../github/app-deliveries.js";
import { decideRedeliveries } from "../github/missed-deliveries.js";
import type { Octokit } from "../github/octokit.js";
import type { RelayStore } from "../storage/types.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** GitHub's docs: deliveries can be redelivered for 3 days on GitHub.com and 7 days on GitHub Enterprise Server. */
export const REDELIVERY_WINDOW_MS = { github: 3 * DAY, enterpriseServer: 7 * DAY } as const;
/** Requests near the window's end may reach GitHub after it closed: they are left out. */
const WINDOW_MARGIN_MS = HOUR;
/** At most this many pages of 100 deliveries per round (a busy App with a long look-back). */
const MAX_PAGES = 50;
/** Replicas try to own the current round this often; one of them wins it. */
const TICK_MS = MINUTE;

export interface DeliveryReconcilerDeps {
  store: RelayStore;
  clock: () => number;
  log: Logger;
  settings: DeliverySettings;
  /** The App's own client (JWT), which the delivery endpoints need. */
  appClient(): Promise<Octokit>;
  /** GitHub's redelivery window (REDELIVERY_WINDOW_MS by host). */
  windowMs: number;
  /** Handled deliveries are forgotten after this long: never look back further (they would look unseen). */
  retentionMs: number;
  isWanted(event: string, action: string | undefined): boolean;
  mask(text: string): string;
}

export interface ReconcileReport {
  listed: number;
  redelivered: string[];
  failedRequests: number;
  gaveUp: string[];
}

/**
 * Missed webhook deliveries: GitHub never redelivers by itself, so once at start and then every
 * `reconcile_minutes` this lists the App's recent deliveries and asks GitHub to redeliver those the store never got.
 * A periodic round belongs to the replica that records its time bucket first (store.recordOnce), so replicas do not
 * repeat each other's rounds; each redelivery request is recorded too, so an attempt is asked for once per round.
 * A redelivered event goes through the normal webhook path and is stored once (by its delivery id).
 */
export class DeliveryReconciler {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(private readonly deps: DeliveryReconcilerDeps) {}

  get enabled(): boolean {
    return this.deps.settings.reconcile_minutes > 0;
  }

  start(): void {
    if (!this.enabled || this.#timer) return;
    this.#run(() => this.reconcile("start"));
    this.#timer = setInterval(() => this.#run(() => this.tick()), TICK_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Runs the current periodic round if no replica has taken it yet. Returns undefined when another one has. */
  async tick(): Promise<ReconcileReport | undefined> {
    const now = this.deps.clock();
    if (!(await this.deps.store.recordOnce(`deliveries:round:${this.#bucket(now)}`, now))) return undefined;
    return this.reconcile("periodic");
  }

  /** One round: `start` looks back over the whole redelivery window, `periodic` over `lookback_hours`. */
  async reconcile(kind: "start" | "periodic"): Promise<ReconcileReport> {
    const { store, clock, settings, log } = this.deps;
    const now = clock();
    const usableWindow = Math.min(this.deps.windowMs - WINDOW_MARGIN_MS, this.deps.retentionMs);
    const lookback = kind === "start" ? usableWindow : Math.min(settings.lookback_hours * HOUR, usableWindow);
    const client = await this.deps.appClient();
    const listed = await listDeliveriesSince(client, now - lookback, MAX_PAGES);
    if (listed.malformed > 0) log.warn({ malformed: listed.malformed }, "GitHub listed deliveries without the documented fields; they were skipped");
    if (listed.truncated) log.warn({ pages: MAX_PAGES }, "more deliveries than one round reads: the oldest were not checked (lower deliveries.lookback_hours)");
    const known = await store.knownDeliveries([...new Set(listed.attempts.map((attempt) => attempt.guid))]);
    const decision = decideRedeliveries({
      attempts: listed.attempts,
      known,
      now,
      windowMs: this.deps.windowMs - WINDOW_MARGIN_MS,
      maxRedeliveries: settings.max_redeliveries,
      isWanted: this.deps.isWanted,
    });
    if (decision.gaveUp.length > 0) log.warn({ deliveries: decision.gaveUp }, "missed deliveries still failing after the last redelivery: left alone");
    const report: ReconcileReport = { listed: listed.attempts.length, redelivered: [], failedRequests: 0, gaveUp: decision.gaveUp };
    for (const redelivery of decision.redeliver) {
      if (!(await store.recordOnce(`deliveries:redeliver:${redelivery.attemptId}:${this.#bucket(now)}`, now))) continue;
      try {
        await requestRedelivery(client, redelivery.attemptId);
        report.redelivered.push(redelivery.guid);
      } catch (error) {
        report.failedRequests += 1;
        log.warn({ delivery: redelivery.guid, err: this.deps.mask(errorMessage(error)) }, "asking GitHub to redeliver failed; the next round tries again");
      }
    }
    if (report.redelivered.length > 0 || report.failedRequests > 0) {
      log.info({ kind, redelivered: report.redelivered.length, failed: report.failedRequests, probing: decision.probing }, "asked GitHub to redeliver missed webhooks");
    }
    return report;
  }

  #bucket(now: number): number {
    return Math.floor(now / (this.deps.settings.reconcile_minutes * MINUTE));
  }

  #run(work: () => Promise<unknown>): void {
    if (this.#running) return;
    this.#running = work()
      .catch((error) => this.deps.log.warn({ err: this.deps.mask(errorMessage(error)) }, "looking for missed webhook deliveries failed; trying again next round"))
      .finally(() => (this.#running = undefined));
  }
}

/** GitHub's redelivery window for this deployment (GHE_HOST set: GitHub Enterprise Server). */
export function redeliveryWindowMs(env: NodeJS.ProcessEnv): number {
  return env.GHE_HOST ? REDELIVERY_WINDOW_MS.enterpriseServer : REDELIVERY_WINDOW_MS.github;
}
