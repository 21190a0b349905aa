import { VendorError } from "../../errors.js";
import { ownValue } from "../../own-property.js";
import { asRecord, type ErrorEnvelope } from "../envelope.js";
import { errorBody } from "./schema.js";

/** What an operator can do about the codes of Yunxiao's error-code center that need them. */
const HINTS: Record<string, string> = {
  ExpiredTokenError: "the personal access token has expired: create a new one in Yunxiao (personal settings → personal access tokens) and update the connection's token",
  InvalidTokenError: "the personal access token is not valid here: check that it belongs to this edition and organization, or create a new one",
  Unauthorized: "the personal access token was refused: renew it or check the connection's token",
  Forbidden: "the token lacks permission: it needs Flow 'pipeline' read and 'pipeline run instance' read/write",
  "Forbidden.InvalidUser.UserNotInCurrentOrganization": "the token's user is not a member of the connection's organization_id",
  "Forbidden.InvalidOrganizationMember": "the token's user is not a member of the connection's organization_id",
  UnsupportedCurrentTokenType: "use a personal access token (pt-…)",
};

/** Pulls Flow's `errorCode` and message out of an error body; undefined when the body is not Flow's shape. */
export function describeYunxiaoError(body: unknown): { code?: string; message?: string } | undefined {
  const parsed = errorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { errorCode, errorMessage, errorDescription, message } = parsed.data;
  const text = errorMessage || errorDescription || message;
  if (!errorCode && !text) return undefined;
  const hint = errorCode ? ownValue(HINTS, errorCode) : undefined;
  return { code: errorCode, message: [text, hint].filter(Boolean).join(" — ") || undefined };
}

export const VENDOR = "yunxiao";

/** A VendorError for answers the HTTP client accepted but Flow's semantics refuse (a `false`, a missing job...). */
export function flowError(operation: string, reason: string, retryable = false): VendorError {
  return new VendorError(reason, { vendor: VENDOR, operation, retryable });
}

/** Answers meaning "Flow will not do this here" rather than "Flow or the token is broken". */
export function isRefusal(error: unknown): error is VendorError {
  return error instanceof VendorError && error.status !== undefined && [400, 404, 405, 409, 501].includes(error.status);
}

/**
 * Flow's error in a 2xx body: a non-empty `errorCode`, or `success: false` (with or without a message).
 * Success answers are a bare id, `true`/`false`, or objects without either key.
 */
export const yunxiaoEnvelope: ErrorEnvelope = {
  vendor: VENDOR,
  displayName: "Yunxiao Flow",
  errorOf(body) {
    const record = asRecord(body);
    if (!record) return undefined;
    const hasCode = typeof record.errorCode === "string" && record.errorCode !== "";
    if (!hasCode && record.success !== false) return undefined;
    return describeYunxiaoError(body) ?? { message: "success: false" };
  },
};
