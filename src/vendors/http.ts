import type Bottleneck from "bottleneck";
import type { z } from "zod";
import { VendorError, type VendorErrorDetails } from "../errors.js";
import type { SecretMasker } from "../secrets.js";
import { formatZodIssues } from "../zod-issues.js";
import {
  classifyNetworkError,
  isAmbiguous,
  isIdempotent,
  isRetryable,
  mayRetryInCall,
  parseRetryAfter,
  RETRY_AFTER_STATUS_CODES,
  type AttemptFailure,
  type HttpMethod,
} from "./http-failure.js";
import { BodyTooLargeError, readBodyText } from "./read-body.js";

export { RETRYABLE_STATUS_CODES, type HttpMethod } from "./http-failure.js";
import { describeHttpFailureText } from "./error-text.js";

export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** The exact body text sent (AK/SK signing needs it). */
  body: string;
}

export interface VendorHttpOptions {
  /** Defaults to the connection's `url`. */
  baseUrl?: string;
  /** Adds credentials to a request. Runs before every attempt, so a signature is always fresh. */
  authenticate?: (request: OutgoingRequest) => void | Promise<void>;
  /** Pulls the vendor's own message and code out of an error body. */
  describeError?: (body: unknown) => { message?: string; code?: string } | undefined;
}

export interface VendorRequest<T> {
  method?: HttpMethod;
  /** Relative to the base URL; always starts with `/`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  headers?: Record<string, string>;
  /** `text` hands the raw body (a log) to the schema instead of parsed JSON. */
  responseType?: "json" | "text";
  schema: z.ZodType<T>;
}

export interface VendorResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface VendorHttp {
  request<T>(operation: string, request: VendorRequest<T>): Promise<T>;
  requestWithHeaders<T>(operation: string, request: VendorRequest<T>): Promise<VendorResponse<T>>;
}

export interface HttpClientSettings {
  vendor: string;
  baseUrl: string;
  /** Total deadline of one call: connect, headers, the whole body and any GET retries. */
  timeoutMs: number;
  limiter: Bottleneck;
  masker: SecretMasker;
  /**
   * GET retries inside the call. `maxRetryAfterMs`: the longest Retry-After the client waits for in
   * the call; a longer one ends the call with `retryAfterMs` on the VendorError for the engine.
   */
  retry: { limit: number; maxRetryAfterMs: number; delayMs: (attempt: number) => number };
  /** Largest response body read; default DEFAULT_MAX_BODY_BYTES. */
  maxBodyBytes?: number;
}

export const DEFAULT_RETRY: HttpClientSettings["retry"] = {
  limit: 3,
  maxRetryAfterMs: 2_000,
  delayMs: (attempt) => Math.min(250 * 2 ** (attempt - 1), 1_000),
};

export const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;

/** Error bodies are only shown to people: the first part is enough. */
const ERROR_BODY_BYTES = 64 * 1024;

/** One attempt that did not succeed, and the error that ends the call if it is not tried again. */
interface FailedAttempt {
  failure: AttemptFailure;
  error: VendorError;
  retryAfterMs?: number;
}

class Deadline extends Error {}

/**
 * The one way vendor adapters talk HTTP: limits, a total deadline, GET-only retries, a body cap,
 * masking and typed errors. A request other than GET is sent exactly once: whether to send it again
 * is the engine's decision (VendorError.ambiguous says whether it may have taken effect).
 */
export function createVendorHttp(settings: HttpClientSettings, options: VendorHttpOptions = {}): VendorHttp {
  const base = new URL(withTrailingSlash(options.baseUrl ?? settings.baseUrl));
  const maxBodyBytes = settings.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  async function requestWithHeaders<T>(operation: string, request: VendorRequest<T>): Promise<VendorResponse<T>> {
    const method = request.method ?? "GET";
    const url = buildUrl(base, request.path, request.query);
    const body = request.json === undefined ? "" : JSON.stringify(request.json);
    const fail = (reason: string, extra: Partial<VendorErrorDetails> = {}) =>
      new VendorError(settings.masker.mask(reason), { vendor: settings.vendor, operation, retryable: false, ...extra });
    const failAttempt = (failure: AttemptFailure, reason: string, extra: Partial<VendorErrorDetails> = {}): FailedAttempt => ({
      failure,
      retryAfterMs: extra.retryAfterMs,
      error: fail(reason, { retryable: isRetryable(failure), ambiguous: isAmbiguous(method, failure), ...extra }),
    });

    async function attempt(signal: AbortSignal): Promise<VendorResponse<T> | FailedAttempt> {
      const headers = new Headers({
        accept: "application/json",
        ...(body === "" ? {} : { "content-type": "application/json" }),
        ...request.headers,
      });
      await options.authenticate?.({ method, url: new URL(url), headers, body });

      let response: Response;
      try {
        // Credentials must never follow a redirect to another host, so redirects are not followed at all.
        response = await fetch(url, { method, headers, body: body === "" ? undefined : body, redirect: "manual", signal });
      } catch (error) {
        if (signal.aborted) return failAttempt({ kind: "deadline" }, `no complete answer within ${settings.timeoutMs} ms`);
        const kind = classifyNetworkError(error);
        return failAttempt({ kind }, `network error: ${describeNetworkError(error)}`, { cause: error });
      }

      const { status } = response;
      if (status >= 300 && status < 400) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get("location") ?? "(none)";
        throw fail(`unexpected redirect (HTTP ${status}) to ${safeHost(location)}; redirects are not followed`, { status });
      }
      if (status >= 400 || status < 200) {
        // The status is the answer; an error body cut short by the deadline only loses its wording.
        const text = await readBodyText(response, ERROR_BODY_BYTES, "truncate").catch(() => "");
        const described = options.describeError?.(parseJsonOrText(text));
        const retryAfterMs = RETRY_AFTER_STATUS_CODES.includes(status) ? parseRetryAfter(response.headers.get("retry-after")) : undefined;
        return failAttempt({ kind: "status", status }, describeHttpFailure(status, text, described), {
          status,
          vendorCode: described?.code,
          retryAfterMs,
        });
      }

      // A 2xx means a create took effect: a body we cannot read leaves its outcome unknown to the caller.
      const tookEffect = !isIdempotent(method);
      let text: string;
      try {
        text = await readBodyText(response, maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          throw fail(`response body larger than ${formatBytes(maxBodyBytes)} (HTTP ${status}); not read`, { status, ambiguous: tookEffect });
        }
        if (signal.aborted) {
          return failAttempt({ kind: "deadline" }, `no complete answer within ${settings.timeoutMs} ms (HTTP ${status} body unfinished)`, { status });
        }
        return failAttempt({ kind: "broken" }, `network error while reading the body: ${describeNetworkError(error)}`, { status, cause: error });
      }

      let parsed: unknown = text;
      if (request.responseType !== "text" && text.trim() !== "") {
        try {
          parsed = JSON.parse(text);
        } catch {
          throw fail(`unexpected response: not JSON (HTTP ${status}): ${truncate(text, 200)}`, { status, ambiguous: tookEffect });
        }
      }
      const result = request.schema.safeParse(parsed);
      if (!result.success) {
        throw fail(`unexpected response (${formatZodIssues(result.error)})`, { status, ambiguous: tookEffect });
      }
      return { status, headers: response.headers, body: result.data };
    }

    return settings.limiter.schedule(async () => {
      const controller = new AbortController();
      const deadlineAt = Date.now() + settings.timeoutMs;
      const timer = setTimeout(() => controller.abort(new Deadline("deadline")), settings.timeoutMs);
      try {
        for (let attemptNumber = 1; ; attemptNumber += 1) {
          const outcome = await attempt(controller.signal);
          if (!("failure" in outcome)) return outcome;
          const wait = waitBeforeRetry(method, outcome, attemptNumber, settings.retry);
          // Retries share the call's deadline: no retry that could not finish in time.
          if (wait === undefined || Date.now() + wait >= deadlineAt) throw outcome.error;
          await sleep(wait);
        }
      } finally {
        clearTimeout(timer);
      }
    });
  }

  return {
    requestWithHeaders,
    async request(operation, request) {
      return (await requestWithHeaders(operation, request)).body;
    },
  };
}

/** How long to wait before trying a failed attempt again, or undefined: the call ends with its error. */
function waitBeforeRetry(
  method: HttpMethod,
  outcome: FailedAttempt,
  attemptNumber: number,
  retry: HttpClientSettings["retry"],
): number | undefined {
  if (!mayRetryInCall(method, outcome.failure) || attemptNumber > retry.limit) return undefined;
  if (outcome.retryAfterMs === undefined) return retry.delayMs(attemptNumber);
  // A vendor asking for a long pause gets it from the engine's schedule, not from a blocked worker.
  return outcome.retryAfterMs <= retry.maxRetryAfterMs ? outcome.retryAfterMs : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  // Duck-typed: fetch's errors may come from another realm (undici), where instanceof Error fails.
  for (let depth = 0; isErrorLike(current) && depth < 4; depth += 1) {
    const { message, code } = current;
    parts.push(typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message);
    current = current.cause;
  }
  return parts.filter((part, index) => part && parts.indexOf(part) === index).join(": ") || String(error);
}

function isErrorLike(value: unknown): value is { message: string; code?: unknown; cause?: unknown } {
  return typeof value === "object" && value !== null && typeof (value as { message?: unknown }).message === "string";
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${bytes} bytes`;
}

function buildUrl(base: URL, path: string, query: VendorRequest<unknown>["query"]): URL {
  const url = new URL(path.replace(/^\//, ""), base);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

function describeHttpFailure(status: number, text: string, described: { message?: string; code?: string } | undefined): string {
  return describeHttpFailureText(status, text, described);
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function safeHost(location: string): string {
  try {
    return new URL(location).host;
  } catch {
    return "a relative location";
  }
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
