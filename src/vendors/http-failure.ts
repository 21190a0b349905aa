/*
 * Pure rules of the vendor HTTP client: which failures may be tried again in the call, which leave a
 * non-idempotent request's outcome unknown, and how long a vendor asked us to wait.
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE" | "PATCH";

export const RETRYABLE_STATUS_CODES = [408, 429, 500, 502, 503, 504];

/** Statuses whose Retry-After header is read. */
export const RETRY_AFTER_STATUS_CODES = [429, 503];

/**
 * Error codes (Node's net/dns/tls and undici's connect phase) that mean the connection was never
 * established, so the request cannot have reached the vendor.
 */
const NEVER_CONNECTED_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** A failed attempt as the client saw it, before it becomes a VendorError. */
export type AttemptFailure =
  /** The vendor answered with a status outside 2xx/3xx. */
  | { kind: "status"; status: number }
  /** The request never reached the vendor (refused, DNS, unreachable, TLS). */
  | { kind: "not-connected" }
  /** The connection broke after it was open (reset, socket hang up, closed mid-body). */
  | { kind: "broken" }
  /** The call's total deadline passed (connect, headers or body). */
  | { kind: "deadline" };

export function isIdempotent(method: HttpMethod): boolean {
  return method === "GET";
}

export function isRetryable(failure: AttemptFailure): boolean {
  if (failure.kind === "status") return RETRYABLE_STATUS_CODES.includes(failure.status);
  return true;
}

/**
 * True when a request other than GET may have taken effect although no success was seen: the vendor
 * may have created the run before the 5xx, the reset or the deadline. 4xx (incl. 429) and failures
 * before the connection opened are definite: nothing happened.
 */
export function isAmbiguous(method: HttpMethod, failure: AttemptFailure): boolean {
  if (isIdempotent(method)) return false;
  switch (failure.kind) {
    case "status":
      return failure.status >= 500;
    case "not-connected":
      return false;
    case "broken":
    case "deadline":
      return true;
  }
}

/** Whether the client tries a GET again inside the same call. Other methods are sent once. */
export function mayRetryInCall(method: HttpMethod, failure: AttemptFailure): boolean {
  return isIdempotent(method) && failure.kind !== "deadline" && isRetryable(failure);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Sorts a thrown network error (fetch's TypeError with a `cause`) into never-connected or broken. */
export function classifyNetworkError(error: unknown): "not-connected" | "broken" {
  const codes = errorCodes(error);
  return codes.length > 0 && codes.every((code) => NEVER_CONNECTED_CODES.has(code)) ? "not-connected" : "broken";
}

/** Every `code` on the error, its causes and (for happy-eyeballs connects) its aggregated errors. */
function errorCodes(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== "object" || depth > 4) return [];
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof record.code === "string" ? [record.code] : [];
  const nested = Array.isArray(record.errors) ? record.errors.flatMap((inner) => errorCodes(inner, depth + 1)) : [];
  const fromCause = errorCodes(record.cause, depth + 1);
  // A wrapper's own code (e.g. undici's UND_ERR_SOCKET) is kept next to its cause's.
  return [...own, ...nested, ...fromCause];
}
