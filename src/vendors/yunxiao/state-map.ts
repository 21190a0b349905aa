import type { RunState } from "../types.js";
import { statusTable } from "../unknown-status.js";

/**
 * Run statuses. Only RUNNING, SUCCESS and FAIL are documented for runs; CANCELED and WAITING come from the
 * official MCP server's list filter, INIT and CANCELLING from the legacy group-status and webhook docs
 * (vendor-apis §3, §8.1). FINISH and SKIP are stage/job words and UNKOWN (sic) is the webhook's "unknown":
 * as run statuses they are left unmapped, so they are logged and polled until the timeout.
 */
const FLOW_STATES = statusTable<RunState>(Object.entries({
  INIT: "queued",
  WAITING: "queued",
  RUNNING: "running",
  CANCELLING: "running",
  SUCCESS: "success",
  FAIL: "failure",
  CANCELED: "cancelled",
} satisfies Record<string, RunState>));

/** Returns undefined for a word Flow has not documented as a run status, so the caller can log it. */
export function mapFlowStatus(status: string): RunState | undefined {
  return FLOW_STATES.get(status);
}

export const FLOW_STATUS_WORDS = FLOW_STATES.words;

/** Job statuses of a run that is still going: the jobs a cancel must stop. */
export const ACTIVE_JOB_STATUSES: ReadonlySet<string> = new Set(["RUNNING", "WAITING"]);

export const FAILED_JOB_STATUS = "FAIL";
