import type { Logger } from "probot";
import type { RelayMetrics } from "../operator/metrics.js";
import type { RelayStore } from "../storage/types.js";

export const SUBSCRIBED_EVENTS = ["push", "pull_request", "issue_comment", "check_run", "check_suite", "merge_group"] as const;

/** A verified delivery: GitHub's event name and delivery id, the parsed payload and, when at hand, its raw JSON. */
export interface Delivery {
  id: string;
  name: string;
  payload: unknown;
  /** The body as received (text or bytes): stored as is, so the payload is not serialized again. */
  body?: string | Buffer;
}

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
  return async ({ id, name, payload, body }) => {
    if (!subscribed.has(name)) return "ignored";
    const fields = payload as { installation?: { id?: unknown }; action?: string; repository?: { full_name?: string } };
    const installationId = fields.installation?.id;
    if (typeof installationId !== "number" || !worthStoring(name, fields.action)) {
      deps.metrics.webhookReceived(name, "ignored");
      return "ignored";
    }
    const repoKey = typeof fields.repository?.full_name === "string" ? fields.repository.full_name : `installation:${installationId}`;
    let fresh: boolean;
    try {
      fresh = await deps.store.addEvent({ deliveryId: id, name, payload, ...(body !== undefined ? { payloadJson: body } : {}), installationId, repoKey }, deps.clock());
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
