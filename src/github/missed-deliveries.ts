import type { DeliveryAttempt } from "./app-deliveries.js";

export interface Redelivery {
  /** The attempt to redeliver (the newest of its delivery). */
  attemptId: number;
  guid: string;
  /** `failed`: no attempt got a 2xx; `unseen`: GitHub got a 2xx but the store has no such delivery (a lost database). */
  reason: "failed" | "unseen";
}

export interface RedeliveryDecision {
  redeliver: Redelivery[];
  /** Deliveries still missed after `maxRedeliveries` redeliveries: left alone (logged). */
  gaveUp: string[];
  /** The newest attempt of all failed: the webhook path may still be down, so only one delivery was tried. */
  probing: boolean;
}

export interface DecisionInput {
  attempts: readonly DeliveryAttempt[];
  /** Delivery ids (guids) the store has: handled, failed or pending there, so never redelivered. */
  known: ReadonlySet<string>;
  now: number;
  /** GitHub redelivers only attempts younger than this. */
  windowMs: number;
  maxRedeliveries: number;
  /** The events the webhook handler stores (the others are answered 2xx and dropped on purpose). */
  isWanted(event: string, action: string | undefined): boolean;
}

const isOk = (attempt: DeliveryAttempt) => attempt.status_code >= 200 && attempt.status_code < 300;

/**
 * Which deliveries to redeliver. Pure. A delivery (all attempts with one guid) is redelivered when the app would
 * have stored it, the store does not have it, its newest attempt is inside GitHub's redelivery window, and it was
 * redelivered fewer than `maxRedeliveries` times. While the newest attempt of all failed (the app or its ingress
 * may still be down), only the newest missed delivery is tried, as a probe, so retries are not used up.
 */
export function decideRedeliveries(input: DecisionInput): RedeliveryDecision {
  const byGuid = new Map<string, DeliveryAttempt[]>();
  for (const attempt of input.attempts) byGuid.set(attempt.guid, [...(byGuid.get(attempt.guid) ?? []), attempt]);
  const redeliver: Array<Redelivery & { at: number }> = [];
  const gaveUp: string[] = [];
  for (const [guid, attempts] of byGuid) {
    const newest = attempts.reduce((a, b) => (b.delivered_at > a.delivered_at || (b.delivered_at === a.delivered_at && b.id > a.id) ? b : a));
    if (input.known.has(guid)) continue;
    if (newest.installation_id === null || newest.installation_id === undefined) continue;
    if (!input.isWanted(newest.event, newest.action ?? undefined)) continue;
    if (input.now - newest.delivered_at >= input.windowMs) continue;
    if (attempts.filter((a) => a.redelivery).length >= input.maxRedeliveries) {
      gaveUp.push(guid);
      continue;
    }
    redeliver.push({ attemptId: newest.id, guid, reason: attempts.some(isOk) ? "unseen" : "failed", at: newest.delivered_at });
  }
  redeliver.sort((a, b) => a.at - b.at || a.attemptId - b.attemptId);
  const newestOfAll = input.attempts.reduce<DeliveryAttempt | undefined>((a, b) => (!a || b.delivered_at > a.delivered_at ? b : a), undefined);
  const probing = newestOfAll !== undefined && !isOk(newestOfAll) && redeliver.length > 1;
  const chosen = probing ? redeliver.slice(-1) : redeliver;
  return { redeliver: chosen.map(({ at: _at, ...rest }) => rest), gaveUp, probing };
}
