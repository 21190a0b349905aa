import { errorMessage } from "../errors.js";
import { statusOf } from "../github/octokit.js";
import { envelopeMismatch } from "../github/webhook-envelope.js";
import type { IncomingEvent, Services } from "../github/services.js";
import type { ClaimedEvent } from "../storage/types.js";

export type EventHandler = (event: IncomingEvent, services: Services) => Promise<void>;

/** Events whose handling starts runs idempotently (keyed by commit) may be tried again after a failure. */
const RETRIABLE_EVENTS = new Set(["push", "pull_request", "merge_group"]);
const MAX_ATTEMPTS = 5;

/** Handles one claimed webhook delivery and records the outcome, fenced by its lease. */
export function createEventUnit(services: Services, handlers: Readonly<Record<string, EventHandler>>) {
  return async function handleEvent(event: ClaimedEvent): Promise<void> {
    const { ctx } = services;
    const log = ctx.log.child({ delivery: event.deliveryId, event: event.name });
    const handler = Object.hasOwn(handlers, event.name) ? handlers[event.name] : undefined;
    try {
      // The ack stored the body after reading only its envelope: a body that is not JSON, or whose top-level keys
      // are not the ones the row was stored under, is given up here, before anything acts on it.
      const unusable = event.unreadable ?? envelopeMismatch(event.payload, event);
      if (unusable) {
        log.error({ reason: unusable }, "webhook event given up: the delivery cannot be handled");
        await ctx.store.failEvent(event.deliveryId, event.leaseToken, `the delivery cannot be handled: ${unusable}`, null);
        return;
      }
      if (handler) {
        const octokit = await ctx.github(event.installationId);
        await handler({ id: event.deliveryId, name: event.name, payload: event.payload, installationId: event.installationId, octokit }, services);
      }
      if (!(await ctx.store.finishEvent(event.deliveryId, event.leaseToken))) log.info("event finished by another worker after this one's lease expired");
    } catch (error) {
      const message = ctx.operator.masker.mask(errorMessage(error));
      const status = statusOf(error);
      const transient = status === undefined || status >= 500 || status === 429;
      const again = RETRIABLE_EVENTS.has(event.name) && transient && event.attempts + 1 < MAX_ATTEMPTS;
      const retryAt = again ? ctx.clock() + 10_000 * 2 ** event.attempts : null;
      log.error({ err: message, attempt: event.attempts + 1, retrying: again }, "handling a webhook event failed");
      await ctx.store.failEvent(event.deliveryId, event.leaseToken, message, retryAt);
    }
  };
}
