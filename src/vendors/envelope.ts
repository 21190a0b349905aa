import { z } from "zod";
import { VendorError } from "../errors.js";
import { formatZodIssues } from "../zod-issues.js";
import { describeBodyExcerpt } from "./error-text.js";
import type { VendorHttp, VendorRequest, VendorResponse } from "./http.js";
import { parseJsonKeepingBigIntegers } from "./safe-json.js";

/** The vendor's own words for an error: its code and message, as it wrote them. */
export interface VendorErrorWords {
  code?: string;
  message?: string;
}

/** How one vendor writes an error inside an HTTP 2xx body. */
export interface ErrorEnvelope {
  /** Vendor id, as in VendorError.vendor. */
  vendor: string;
  /** The name people know, for "Zadig refused to …". */
  displayName: string;
  /** The vendor's error when the body is one, else undefined (the body is then held to the success shape). */
  errorOf(body: unknown): VendorErrorWords | undefined;
}

export interface EnvelopedRequest<T> extends VendorRequest<T> {
  /** What was asked, in words: "cancel task 17". Used as "Zadig refused to cancel task 17: 6163 …". */
  action?: string;
}

/** A VendorHttp whose every answer is checked for the vendor's error envelope before the success shape. */
export interface EnvelopedHttp {
  request<T>(operation: string, request: EnvelopedRequest<T>): Promise<T>;
  requestWithHeaders<T>(operation: string, request: EnvelopedRequest<T>): Promise<VendorResponse<T>>;
}

export type BodyReading<T> =
  | { ok: true; value: T }
  | { ok: false; kind: "refused"; reason: string; code?: string }
  | { ok: false; kind: "malformed"; reason: string };

/**
 * Pure: what a 2xx body means. The error envelope is recognised first, so `{code, message}` is never
 * taken for an acknowledgement; then the body must match the operation's own schema.
 * `text` responses (logs) are returned raw unless they are an error envelope.
 */
export function readBody<T>(text: string, envelope: ErrorEnvelope, schema: z.ZodType<T>, options: { action: string; responseType?: "json" | "text" }): BodyReading<T> {
  let body: unknown = text;
  const trimmed = text.trim();
  if (trimmed !== "") {
    try {
      body = parseJsonKeepingBigIntegers(trimmed);
    } catch {
      if (options.responseType !== "text") {
        return { ok: false, kind: "malformed", reason: `unexpected response to ${options.action}: not JSON: ${describeBodyExcerpt(text)}` };
      }
    }
  }
  const error = envelope.errorOf(body);
  if (error) return { ok: false, kind: "refused", reason: refusal(envelope.displayName, options.action, error), ...(error.code ? { code: error.code } : {}) };
  const parsed = schema.safeParse(options.responseType === "text" ? text : trimmed === "" ? "" : body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, kind: "malformed", reason: `unexpected response to ${options.action} (${formatZodIssues(parsed.error)})` };
}

/** `Zadig refused to cancel task 17: 6163 取消工作流任务失败`. */
export function refusal(displayName: string, action: string, words: VendorErrorWords): string {
  const said = [words.code, words.message].filter((part) => part !== undefined && part !== "").join(" ");
  return `${displayName} refused to ${action}: ${said || "(no message)"}`;
}

/**
 * Wraps a connection's HTTP client so every JSON answer goes through readBody. Bodies are read as text
 * (ids beyond 2^53 stay exact), and every message is masked before it becomes an error.
 */
export function withErrorEnvelope(http: VendorHttp, envelope: ErrorEnvelope, mask: (text: string) => string): EnvelopedHttp {
  async function requestWithHeaders<T>(operation: string, request: EnvelopedRequest<T>): Promise<VendorResponse<T>> {
    const { action = operation, schema, responseType, ...rest } = request;
    const answer = await http.requestWithHeaders(operation, { ...rest, responseType: "text", schema: z.string() });
    const reading = readBody(answer.body, envelope, schema, { action, responseType });
    if (reading.ok) return { ...answer, body: reading.value };
    const readOnly = (request.method ?? "GET") === "GET";
    throw new VendorError(mask(reading.reason), {
      vendor: envelope.vendor,
      operation,
      status: answer.status,
      // A garbled or cut-off body may be a passing hiccup: the caller's retry limit decides. A write that
      // was answered 2xx may have taken effect even though its answer cannot be read.
      retryable: reading.kind === "malformed",
      ambiguous: reading.kind === "malformed" && !readOnly,
      ...(reading.kind === "refused" && reading.code ? { vendorCode: reading.code } : {}),
    });
  }
  return {
    requestWithHeaders,
    async request(operation, request) {
      return (await requestWithHeaders(operation, request)).body;
    },
  };
}

/** A vendor id that may exceed 2^53: a JSON number (safe) or the digit string safe-json made of a big one. */
export const vendorId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, "a numeric id")]).transform(String);

/** Plain objects only: arrays, strings and numbers are never an error envelope. */
export function asRecord(body: unknown): Record<string, unknown> | undefined {
  return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}
