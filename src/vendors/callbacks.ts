import { z } from "zod";
import { parseJsonKeepingBigIntegers } from "./safe-json.js";
import type { VendorDeps } from "./types.js";

/**
 * What a vendor that can notify pipeline-relay of run changes tells the callback endpoint
 * (`POST /pipeline-relay/callbacks/<vendor>/<connection>`, src/callbacks/). A notification is only a hint: the runs
 * it names are polled now, and the poll decides what changed.
 */
export interface VendorCallbacks {
  /** The request header carrying the connection's `callback_token`, lower case (compared in constant time). */
  readonly tokenHeader: string;
  /** Largest body accepted; anything longer is refused with 413 without being read whole. */
  readonly maxBytes: number;
  /** The vendor run ids (as stored on runs) a notification is about; [] for anything else. Never throws. */
  runIdsOf(body: string): string[];
  /**
   * What one vendor-side hook covers for a pipeline's target (a GitLab project), so `pipeline-relay hooks` sets it up
   * once however many pipelines share it.
   */
  hookScope(target: unknown): string;
  /**
   * Optional: creates the vendor-side hook that sends these notifications, or brings an existing one (same URL) up to
   * date. Without it, `pipeline-relay hooks` prints what to set up by hand (`manualSetup`).
   */
  ensureHook?(deps: VendorDeps<any>, target: unknown, hook: HookSpec): Promise<HookResult>;
  /** How to add the notification by hand, for the operator. */
  manualSetup(url: string): string;
}

export interface HookSpec {
  /** The callback URL for this connection. */
  url: string;
  /** The connection's callback_token. */
  token: string;
  /** Print what would be sent instead of sending it. */
  dryRun: boolean;
  print(line: string): void;
}

export interface HookResult {
  outcome: "created" | "updated" | "dry-run";
  message: string;
}

/** Connection fields of every vendor with callbacks. */
export const callbackConnectionFields = {
  /**
   * The secret the vendor's notification presents (see the vendor's docs page, "Callbacks").
   * Set: callbacks are on, and polling slows to `poll_seconds_with_callbacks`.
   */
  callback_token: z.string().min(1).optional(),
  /** With callbacks on, runs are still polled this often, as a safety net for lost callbacks. */
  poll_seconds_with_callbacks: z.number().positive().max(3600).default(300),
};

/** Parses a notification body with `schema` (ids beyond 2^53 kept exact); undefined when it is not JSON or not that shape. */
export function parseNotification<T>(body: string, schema: z.ZodType<T>): T | undefined {
  let raw: unknown;
  try {
    raw = parseJsonKeepingBigIntegers(body);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
