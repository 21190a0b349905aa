import { z } from "zod";
import { VendorError } from "../../errors.js";
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
