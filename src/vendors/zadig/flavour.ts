import { z } from "zod";
import { vendorId, type EnvelopedHttp } from "../envelope.js";
import type { JobReport, RunHandle, TestSummary, TriggerRequest } from "../types.js";
import type { ZadigConnection, ZadigTarget } from "./schema.js";

/** What the adapter needs of a task, whichever API reported it. */
export interface ZadigTaskView {
  /** The vendor's word; "" before the task is scheduled. */
  status: string;
  /** Unix seconds; 0 or absent while unknown. */
  startTime?: number;
  endTime?: number;
  webUrl?: string;
}

/** The calls one API generation offers; the adapter turns their answers into neutral results. */
export interface ZadigFlavour {
  trigger(req: TriggerRequest<ZadigTarget>): Promise<RunHandle>;
  getTask(run: RunHandle, target: ZadigTarget): Promise<ZadigTaskView>;
  cancel(run: RunHandle, target: ZadigTarget): Promise<void>;
  /** Re-runs the failed part of the same task: the task keeps its id. */
  retry(run: RunHandle, target: ZadigTarget): Promise<void>;
  testSummary(run: RunHandle, target: ZadigTarget): Promise<TestSummary | null>;
  describeFailure(run: RunHandle, target: ZadigTarget): Promise<string | null>;
  describeJobs(run: RunHandle, target: ZadigTarget): Promise<JobReport | null>;
  webUrl(runId: string, target: ZadigTarget): string | undefined;
}

export interface FlavourContext {
  /** Answers pass Zadig's error envelope first (see withErrorEnvelope). */
  http: EnvelopedHttp;
  connection: ZadigConnection;
}

/**
 * `{"message":"success"}` (v1.7 docs), or an empty body, `null` or `{}` (OpenAPI handlers without a
 * response). Zadig's error envelope is recognised before this, and no other object counts as "done".
 */
export const acknowledgement = z.union([z.literal(""), z.null(), z.strictObject({}), z.looseObject({ message: z.string() })]);

/** `{pipeline_name, task_id}` (v1.7 and pipeline V2 `CreateTaskResp`). */
export const createdTask = z.object({ pipeline_name: z.string().optional(), task_id: vendorId });

export function webBaseOf(connection: ZadigConnection): string {
  return (connection.web_url ?? connection.url).replace(/\/+$/, "");
}

export function isoFromSeconds(seconds: number | undefined): string | undefined {
  return seconds ? new Date(seconds * 1000).toISOString() : undefined;
}

export const LOG_TAIL_LINES = 30;

/** The last lines of a job log; the log endpoint may answer plain text or one JSON string. */
export function logTail(raw: string, lines = LOG_TAIL_LINES): string {
  let text = raw;
  if (text.trimStart().startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === "string") text = parsed;
    } catch {
      // Not JSON after all: show it as it came.
    }
  }
  return text
    .replace(/\u001b\[[0-9;]*[A-Za-z]/g, "")
    .trimEnd()
    .split(/\r?\n/)
    .slice(-lines)
    .join("\n");
}
