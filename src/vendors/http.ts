import Bottleneck from "bottleneck";
import ky, { HTTPError, TimeoutError, type KyInstance } from "ky";
import type { z } from "zod";
import { VendorError } from "../errors.js";
import type { SecretMasker } from "../secrets.js";
import { formatZodIssues } from "../zod-issues.js";
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

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE" | "PATCH";

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
  timeoutMs: number;
  limiter: Bottleneck;
  masker: SecretMasker;
  retry: { limit: number; maxRetryAfterMs: number; delayMs: (attempt: number) => number };
}

export const RETRYABLE_STATUS_CODES = [408, 429, 500, 502, 503, 504];

export const DEFAULT_RETRY: HttpClientSettings["retry"] = {
  limit: 3,
  maxRetryAfterMs: 30_000,
  delayMs: (attempt) => Math.min(500 * 2 ** (attempt - 1), 8_000),
};

/** The one way vendor adapters talk HTTP: limits, retries, timeouts, masking and typed errors. */
export function createVendorHttp(settings: HttpClientSettings, options: VendorHttpOptions = {}): VendorHttp {
  const base = new URL(withTrailingSlash(options.baseUrl ?? settings.baseUrl));
  const client: KyInstance = ky.create({
    timeout: settings.timeoutMs,
    // Credentials must never follow a redirect to another host, so redirects are not followed at all.
    redirect: "manual",
    retry: {
      limit: settings.retry.limit,
      methods: ["get", "post", "put", "delete", "patch"],
      statusCodes: RETRYABLE_STATUS_CODES,
      afterStatusCodes: [429, 503],
      maxRetryAfter: settings.retry.maxRetryAfterMs,
      delay: settings.retry.delayMs,
    },
  });

  async function requestWithHeaders<T>(operation: string, request: VendorRequest<T>): Promise<VendorResponse<T>> {
    const url = buildUrl(base, request.path, request.query);
    const body = request.json === undefined ? "" : JSON.stringify(request.json);
    const fail = (reason: string, extra: Partial<ConstructorParameters<typeof VendorError>[1]> = {}) =>
      new VendorError(settings.masker.mask(reason), {
        vendor: settings.vendor,
        operation,
        retryable: false,
        ...extra,
      });

    let response: Response;
    try {
      response = await settings.limiter.schedule(() =>
        client(url, {
          method: request.method ?? "GET",
          body: body === "" ? undefined : body,
          headers: {
            accept: "application/json",
            ...(body === "" ? {} : { "content-type": "application/json" }),
            ...request.headers,
          },
          hooks: {
            beforeRequest: [
              async (outgoing) => {
                await options.authenticate?.({
                  method: outgoing.method,
                  url: new URL(outgoing.url),
                  headers: outgoing.headers,
                  body,
                });
              },
            ],
          },
        }),
      );
    } catch (error) {
      if (error instanceof HTTPError) {
        const text = await error.response.text().catch(() => "");
        const described = options.describeError?.(parseJsonOrText(text));
        throw fail(describeHttpFailure(error.response.status, text, described), {
          status: error.response.status,
          retryable: RETRYABLE_STATUS_CODES.includes(error.response.status),
          vendorCode: described?.code,
        });
      }
      if (error instanceof TimeoutError) {
        throw fail(`no answer within ${settings.timeoutMs} ms`, { retryable: true });
      }
      throw fail(`network error: ${(error as Error).message}`, { retryable: true, cause: error });
    }

    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get("location") ?? "(none)";
      throw fail(`unexpected redirect (HTTP ${response.status}) to ${safeHost(location)}; redirects are not followed`, {
        status: response.status,
      });
    }

    const text = await response.text();
    let parsed: unknown = text;
    if (request.responseType !== "text" && text.trim() !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw fail(`unexpected response: not JSON (HTTP ${response.status}): ${truncate(text, 200)}`, {
          status: response.status,
        });
      }
    }
    const result = request.schema.safeParse(parsed);
    if (!result.success) {
      throw fail(`unexpected response (${formatZodIssues(result.error)})`, { status: response.status });
    }
    return { status: response.status, headers: response.headers, body: result.data };
  }

  return {
    requestWithHeaders,
    async request(operation, request) {
      return (await requestWithHeaders(operation, request)).body;
    },
  };
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
