import type { Logger } from "probot";
import type { RelayMetrics } from "../operator/metrics.js";
import type { RelayStore } from "../storage/types.js";
import { envelopeOf, repoKeyOf, type Envelope } from "./webhook-envelope.js";

export const SUBSCRIBED_EVENTS = ["push", "pull_request", "issue_comment", "check_run", "check_suite", "merge_group"] as const;

/**
 * A verified delivery: GitHub's event name and delivery id, and its payload, parsed or as received (the fast path
 * reads only the envelope from the raw body; see readEnvelope).
 */
export type Delivery = { id: string; name: string } & (
  | { payload: unknown; body?: undefined; envelope?: undefined }
  /** The body as received: stored as is, so the payload is neither parsed nor serialized again here. */
  | { payload?: undefined; body: Buffer; envelope: Envelope }
);

export type IntakeOutcome = "stored" | "duplicate" | "ignored";
export type WebhookIntake = (delivery: Delivery) => Promise<IntakeOutcome>;

/** Only actions some handler acts on are stored: GitHub sends many check and comment events that need nothing. */
export function worthStoring(event: string, action: string | undefined): boolean {
  if (event === "issue_comment") return action === "created";
  if (event === "check_run" || event === "check_suite") return action === "rerequested";
  if (event === "merge_group") return action === "checks_requested" || action === "destroyed";
  return true;
}

/**
 * The whole ack path: a delivery worth handling is stored (one insert) and the engine woken; the work happens
 * after GitHub got its answer. A store error propagates, so GitHub sees a failed delivery and it is redelivered.
 */
export function createWebhookIntake(deps: {
  store: RelayStore;
  metrics: RelayMetrics;
  clock: () => number;
  /** Tells the engine a new event of this repository is stored. */
  kick: (repoKey: string) => void;
  log: Logger;
}): WebhookIntake {
  const subscribed = new Set<string>(SUBSCRIBED_EVENTS);
  return async (delivery) => {
    const { id, name } = delivery;
    if (!subscribed.has(name)) return "ignored";
    const envelope = delivery.envelope ?? envelopeOf(delivery.payload);
    const installationId = envelope.installationId;
    if (installationId === undefined || !worthStoring(name, envelope.action)) {
      deps.metrics.webhookReceived(name, "ignored");
      return "ignored";
    }
    const repoKey = repoKeyOf(envelope);
    const content = delivery.body !== undefined ? { payload: undefined, payloadJson: delivery.body } : { payload: delivery.payload };
    let fresh: boolean;
    try {
      fresh = await deps.store.addEvent({ deliveryId: id, name, ...content, installationId, repoKey }, deps.clock());
    } catch (error) {
      deps.metrics.webhookReceived(name, "failed");
      throw error;
    }
    deps.metrics.webhookReceived(name, fresh ? "stored" : "duplicate");
    if (!fresh) deps.log.info({ delivery: id }, "redelivered webhook ignored");
    else deps.kick(repoKey);
    return fresh ? "stored" : "duplicate";
  };
}

// The intake of the relay loaded into a Probot instance, for the fast path in front of that Probot's server.
const intakes = new WeakMap<object, WebhookIntake>();

export function registerWebhookIntake(probot: object, intake: WebhookIntake): void {
  intakes.set(probot, intake);
}

export function webhookIntakeOf(probot: object | undefined): WebhookIntake | undefined {
  return probot ? intakes.get(probot) : undefined;
}
