import { z } from "zod";
import type { Octokit } from "./octokit.js";

/** The operator's `deliveries:` block in relay.yml. */
export const deliverySettings = z
  .strictObject({
    /** How often one replica looks for missed deliveries (and once at every start); 0 turns the reconciler off. */
    reconcile_minutes: z.number().min(0).max(24 * 60).default(10),
    /** How far back each periodic round looks. The round at start looks back over GitHub's whole redelivery window. */
    lookback_hours: z.number().positive().max(7 * 24).default(6),
    /** A delivery is redelivered at most this many times (a payload that always fails is not retried forever). */
    max_redeliveries: z.number().int().min(1).max(20).default(3),
  })
  .default({ reconcile_minutes: 10, lookback_hours: 6, max_redeliveries: 3 });
export type DeliverySettings = z.infer<typeof deliverySettings>;

/**
 * One attempt to deliver a webhook, as `GET /app/hook/deliveries` lists it (GitHub's REST docs, "List deliveries for
 * an app webhook"). A redelivery keeps the `guid` (the X-GitHub-Delivery header) and has `redelivery: true`.
 */
export const deliveryAttemptSchema = z.object({
  id: z.number().int(),
  guid: z.string().min(1),
  delivered_at: z.string().transform((text, ctx) => {
    const at = Date.parse(text);
    if (Number.isNaN(at)) ctx.addIssue({ code: "custom", message: "delivered_at is not a date" });
    return at;
  }),
  redelivery: z.boolean(),
  status_code: z.number().int(),
  event: z.string(),
  action: z.string().nullable().optional(),
  installation_id: z.number().int().nullable().optional(),
});
export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;

const PAGE_SIZE = 100;

export interface ListedDeliveries {
  attempts: DeliveryAttempt[];
  /** Entries GitHub sent that did not have the documented shape (skipped). */
  malformed: number;
  /** The page cap stopped the listing before `since` was reached. */
  truncated: boolean;
}

/**
 * The App's delivery attempts since `since`, newest first, following GitHub's cursor pagination (the `Link`
 * header's `next`) until an attempt older than `since` or `maxPages` pages. Needs the App's own client (JWT).
 */
export async function listDeliveriesSince(appClient: Octokit, since: number, maxPages: number): Promise<ListedDeliveries> {
  const attempts: DeliveryAttempt[] = [];
  let malformed = 0;
  let pages = 0;
  for await (const page of appClient.paginate.iterator("GET /app/hook/deliveries", { per_page: PAGE_SIZE })) {
    pages += 1;
    let reachedSince = false;
    for (const raw of page.data as unknown[]) {
      const parsed = deliveryAttemptSchema.safeParse(raw);
      if (!parsed.success) {
        malformed += 1;
        continue;
      }
      if (parsed.data.delivered_at < since) reachedSince = true;
      else attempts.push(parsed.data);
    }
    if (reachedSince) return { attempts, malformed, truncated: false };
    if (pages >= maxPages) return { attempts, malformed, truncated: true };
  }
  return { attempts, malformed, truncated: false };
}

/** Asks GitHub to deliver this attempt's payload again (`POST /app/hook/deliveries/{delivery_id}/attempts`, 202). */
export async function requestRedelivery(appClient: Octokit, attemptId: number): Promise<void> {
  await appClient.request("POST /app/hook/deliveries/{delivery_id}/attempts", { delivery_id: attemptId });
}
