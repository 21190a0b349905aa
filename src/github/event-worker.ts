import { errorMessage } from "../errors.js";
import type { StoredEvent } from "../storage/types.js";
import { statusOf } from "./octokit.js";
import type { IncomingEvent, Services } from "./services.js";

export type EventHandler = (event: IncomingEvent, services: Services) => Promise<void>;

/** Events whose handling starts runs idempotently (keyed by commit) may be tried again after a failure. */
const RETRIABLE_EVENTS = new Set(["push", "pull_request"]);
const MAX_ATTEMPTS = 5;
/** A handled delivery is remembered this long, so GitHub's (or a person's) redelivery stays a no-op. */
export const REMEMBER_DELIVERIES_MS = 14 * 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * Takes stored webhook deliveries in arrival order and handles them. Runs in the same process as the
 * webhook server, after GitHub got its answer; what is stored and unfinished survives a restart.
 */
export class EventWorker {
  #lastPrune = 0;

  constructor(
    private readonly services: Services,
    private readonly handlers: Record<string, EventHandler>,
  ) {}

  /** Stores a delivery; false when the same delivery id was stored before (a redelivery does nothing). */
  async enqueue(event: Omit<StoredEvent, "attempts">): Promise<boolean> {
    return this.services.ctx.store.addEvent(event, this.services.ctx.clock());
  }

  /** Handles every event that is due now; returns how many it handled. */
  async drain(): Promise<number> {
    let handled = 0;
    for (let event = await this.#next(); event; event = await this.#next()) {
      await this.#handle(event);
      handled += 1;
    }
    const now = this.services.ctx.clock();
    if (now - this.#lastPrune >= PRUNE_EVERY_MS) {
      this.#lastPrune = now;
      await this.services.ctx.store.pruneEvents(now - REMEMBER_DELIVERIES_MS);
    }
    return handled;
  }

  #next() {
    return this.services.ctx.store.nextEvent(this.services.ctx.clock());
  }

  async #handle(event: StoredEvent): Promise<void> {
    const { ctx } = this.services;
    const log = ctx.log.child({ delivery: event.deliveryId, event: event.name });
    const handler = this.handlers[event.name];
    try {
      if (handler) {
        const octokit = await ctx.github(event.installationId);
        await handler({ id: event.deliveryId, name: event.name, payload: event.payload, installationId: event.installationId, octokit }, this.services);
      }
      await ctx.store.finishEvent(event.deliveryId);
    } catch (error) {
      const message = ctx.operator.masker.mask(errorMessage(error));
      const transient = statusOf(error) === undefined || (statusOf(error) ?? 0) >= 500 || statusOf(error) === 429;
      const again = RETRIABLE_EVENTS.has(event.name) && transient && event.attempts + 1 < MAX_ATTEMPTS;
      const retryAt = again ? ctx.clock() + 10_000 * 2 ** event.attempts : null;
      log.error({ err: message, attempt: event.attempts + 1, retrying: again }, "handling a webhook event failed");
      await ctx.store.failEvent(event.deliveryId, message, retryAt);
    }
  }
}
