import { z } from "zod";
import { VendorError } from "../../errors.js";
import { asRecord, type ErrorEnvelope } from "../envelope.js";
import type { ZadigApi } from "./schema.js";

/**
 * Zadig's error body `{type, message, code, description, extra}`: `code` is an int on Zadig
 * (any 6xxx arrives as HTTP 400), a string on the older aslan server (`"6800"`, seed 000).
 */
const errorBody = z.object({
  type: z.string().optional(),
  message: z.string().optional(),
  code: z.union([z.number(), z.string()]).optional(),
  description: z.string().optional(),
});

export interface DescribedError {
  message?: string;
  code?: string;
}

export function describeZadigError(body: unknown): DescribedError | undefined {
  const parsed = errorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { message, code, description } = parsed.data;
  const parts = [message, description].map((part) => oneLine(part ?? "")).filter((part) => part !== "");
  const text = [...new Set(parts)].join(": ");
  const vendorCode = code === undefined || code === "" ? undefined : String(code);
  if (text === "" && vendorCode === undefined) return undefined;
  return { ...(text ? { message: text } : {}), ...(vendorCode ? { code: vendorCode } : {}) };
}

/** Codes Zadig and aslan put on a body that is not an error. */
const SUCCESS_CODES = new Set(["0", "200"]);

/**
 * Zadig's error in a 2xx body: `type: "error"`, or a non-zero `code` (aslan answers `{code, message}`
 * without `type`). `{"message":"success"}` alone is v1.7's acknowledgement, not an error.
 */
export const zadigEnvelope: ErrorEnvelope = {
  vendor: "zadig",
  displayName: "Zadig",
  errorOf(body) {
    const record = asRecord(body);
    if (!record) return undefined;
    const code = record.code;
    const hasErrorCode = (typeof code === "number" || typeof code === "string") && code !== "" && !SUCCESS_CODES.has(String(code));
    if (record.type !== "error" && !hasErrorCode) return undefined;
    return describeZadigError(body) ?? { message: "an error without a message" };
  },
};

/** One line of vendor text, for messages and failure details. */
export function oneLine(text: string): string {
  // "Internal Error: " (an error with an empty description) must not end in a dangling colon.
  return text.replace(/\s+/g, " ").trim().replace(/\s*[:：]$/, "");
}

/** A vendor block that lacks what this connection's API needs: said before anything is sent. */
export function missingField(api: ZadigApi, operation: string, field: string, why: string): VendorError {
  return new VendorError(`the pipeline's zadig block has no \`${field}\`, which the ${api} API needs (${why})`, {
    vendor: "zadig",
    operation,
    retryable: false,
  });
}
