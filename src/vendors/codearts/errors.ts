import { z } from "zod";
import { VendorError } from "../../errors.js";

export const VENDOR = "codearts";

/**
 * Start (and retry) answer HTTP 200 with one of these when a concurrency limit put the run in a queue:
 * 00011169 per pipeline, 00011170 per tenant. The run exists; its id is in `error.pipeline_run_id`.
 */
export const QUEUED_CODES: readonly string[] = ["DEVPIPE.00011169", "DEVPIPE.00011170"];

/** `{error_code, error_msg}`: CodeArts (`DEVPIPE.*`, `DEVCP.*`) and API Gateway (`APIG.*`, `APIGW.*`) errors. */
const errorBody = z.object({
  error_code: z.string().min(1),
  error_msg: z.string().nullish(),
  error: z
    .looseObject({
      pipeline_run_id: z.string().nullish(),
      queue_id: z.union([z.string(), z.number()]).nullish(),
    })
    .nullish(),
});
export type CodeartsErrorBody = z.infer<typeof errorBody>;

/** IAM's own (Keystone-style) error body; IAM behind the gateway answers `{error_code, error_msg}` instead. */
const iamErrorBody = z.object({
  error: z.object({ message: z.string().nullish(), code: z.union([z.string(), z.number()]).nullish(), title: z.string().nullish() }),
});

export function describeCodeartsError(body: unknown): { message?: string; code?: string } | undefined {
  const parsed = errorBody.safeParse(body);
  if (!parsed.success) return undefined;
  return { code: parsed.data.error_code, message: parsed.data.error_msg ?? undefined };
}

export function describeIamError(body: unknown): { message?: string; code?: string } | undefined {
  const gateway = describeCodeartsError(body);
  if (gateway) return gateway;
  const parsed = iamErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { message, title } = parsed.data.error;
  return { message: message ?? title ?? undefined };
}

export type Enveloped<T> = { ok: true; body: T } | { ok: false; error: CodeartsErrorBody };

/**
 * CodeArts may answer HTTP 200 with an error body, so every response is first checked for a non-empty
 * `error_code`; only a body without one is held to the operation's own schema.
 */
export function enveloped<T>(schema: z.ZodType<T>): z.ZodType<Enveloped<T>> {
  return z.unknown().transform((input, ctx): Enveloped<T> => {
    const error = errorBody.safeParse(input);
    if (error.success) return { ok: false, error: error.data };
    const parsed = schema.safeParse(input);
    if (parsed.success) return { ok: true, body: parsed.data };
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: [...issue.path], input });
    return z.NEVER;
  });
}

export interface Queued {
  runId: string;
  queueId?: string;
  message?: string;
}

interface QueueOptions {
  allowQueued?: boolean;
  /** The run the call was about (a retry), for a queue answer that does not repeat its id. */
  runId?: string;
}

/** The body of a successful answer; a queue answer where `allowQueued`; a VendorError otherwise. */
export function unwrap<T>(operation: string, result: Enveloped<T>, options: QueueOptions & { allowQueued: true }): T | { queued: Queued };
export function unwrap<T>(operation: string, result: Enveloped<T>): T;
export function unwrap<T>(operation: string, result: Enveloped<T>, options: QueueOptions = {}): T | { queued: Queued } {
  if (result.ok) return result.body;
  const { error_code: code, error_msg: message, error } = result.error;
  if (options.allowQueued && QUEUED_CODES.includes(code)) {
    const runId = error?.pipeline_run_id || options.runId;
    if (!runId) {
      throw vendorError(operation, `${code}: the run was queued, but the answer carries no error.pipeline_run_id`, { code, status: 200 });
    }
    const queueId = error?.queue_id;
    return { queued: { runId, queueId: queueId === undefined || queueId === null ? undefined : String(queueId), message: message ?? undefined } };
  }
  throw vendorError(operation, `HTTP 200 with an error: ${code}: ${message || "(no error_msg)"}`, { code, status: 200 });
}

export function isQueued<T>(value: T | { queued: Queued }): value is { queued: Queued } {
  return typeof value === "object" && value !== null && "queued" in value;
}

export function vendorError(operation: string, reason: string, extra: { code?: string; status?: number; retryable?: boolean; cause?: unknown } = {}): VendorError {
  return new VendorError(reason, {
    vendor: VENDOR,
    operation,
    status: extra.status,
    retryable: extra.retryable ?? false,
    vendorCode: extra.code,
    cause: extra.cause,
  });
}

/** The same failure, named after the operation that needed it (an IAM token fetch serves many operations). */
export function asOperation(operation: string, error: unknown, step: string): unknown {
  if (!(error instanceof VendorError) || error.operation === operation) return error;
  const reason = error.message.replace(/^\S+ \S+ failed: /, "");
  return vendorError(operation, `${step}: ${reason}`, { code: error.vendorCode, status: error.status, retryable: error.retryable, cause: error });
}
