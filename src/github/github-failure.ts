import { statusOf } from "./octokit.js";

/**
 * What a failed GitHub write tells us about whether it was carried out.
 * - "refused": GitHub answered with a 4xx; the request was not carried out and may be sent again.
 * - "unknown": no answer (network error, deadline, connection reset) or a 5xx; it may have been carried out.
 */
export type CreateOutcome = "refused" | "unknown";

/**
 * 4xx answers are definite, except those a proxy or a timeout produces while the request may already
 * have reached GitHub (408 Request Timeout, nginx's 499 client closed). @octokit/request reports network
 * errors and aborts as status 500, so they land on "unknown" with the 5xx answers.
 */
export function createOutcomeOf(error: unknown): CreateOutcome {
  const status = statusOf(error);
  if (status === undefined || status === 408 || status === 499) return "unknown";
  return status >= 400 && status < 500 ? "refused" : "unknown";
}

/**
 * A 403 that means "this installation may not do that" (no checks permission), not a rate limit:
 * GitHub also answers 403 to primary (x-ratelimit-remaining: 0) and secondary rate limits, and falling back
 * to commit statuses for those would switch a run's report mode for good over a passing limit.
 */
export function isPermissionRefusal(error: unknown): boolean {
  if (statusOf(error) !== 403) return false;
  const headers = (error as { response?: { headers?: Record<string, string | undefined> } }).response?.headers ?? {};
  if (headers["x-ratelimit-remaining"] === "0" || headers["retry-after"] !== undefined) return false;
  const message = error instanceof Error ? error.message : "";
  return !/rate limit/i.test(message);
}
