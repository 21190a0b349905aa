/** Pure rules for waiting out failures: how long until the next attempt, and when to give up. */

const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;

/** 5 s, 10 s, 20 s … up to 5 minutes; a vendor's Retry-After wins when it asks for longer. */
export function retryDelayMs(failuresSoFar: number, retryAfterMs?: number): number {
  const backoff = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failuresSoFar), MAX_RETRY_MS);
  return Math.max(backoff, Math.min(retryAfterMs ?? 0, MAX_RETRY_MS));
}

/** An outage delays a run up to the operator's limit, counted from the first failure in a row. */
export function outageExceeded(failingSince: number, now: number, limitMinutes: number): boolean {
  return now - failingSince >= limitMinutes * 60_000;
}

/** Margin past a call's own deadline before its answer counts as lost for good. */
const LOST_ANSWER_MARGIN_MS = 10_000;

/**
 * How long after a request whose answer was lost (a crash, a lost lease, a timeout) to look for what it did: past
 * the call's deadline, so a request still on its way has landed or failed, and never sooner than `floorMs`.
 */
export function lostAnswerWaitMs(deadlineSeconds: number, floorMs: number): number {
  return Math.max(floorMs, deadlineSeconds * 1000 + LOST_ANSWER_MARGIN_MS);
}

/** `14:05 UTC`: when the next attempt is due, as people read it on the check. */
export function clockTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(11, 16)} UTC`;
}
