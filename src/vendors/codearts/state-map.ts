import type { RunState } from "../types.js";
import { statusTable } from "../unknown-status.js";

/**
 * Run-level statuses of CodeArts Pipeline v5: the seven words of the ListPipelineRuns status filter
 * plus `QUEUED` (seed list, and what the queue codes DEVPIPE.00011169/00011170 lead to).
 * The detail API publishes no enum, so anything else goes through the unknown-status path.
 */
const CODEARTS_STATES = statusTable<RunState>(Object.entries({
  QUEUED: "queued",
  RUNNING: "running",
  // A manual review or delay gate is waiting: not over, and a person has to act.
  PAUSED: "running",
  SUSPEND: "running",
  COMPLETED: "success",
  FAILED: "failure",
  CANCELED: "cancelled",
  // The pipeline decided not to run (its documented meaning is "pipeline ignored").
  IGNORED: "skipped",
} satisfies Record<string, RunState>));

/** Returns undefined for a word CodeArts has not documented, so the caller can log it. */
export function mapCodeartsStatus(status: string): RunState | undefined {
  return CODEARTS_STATES.get(status);
}

export function isWaitingForAction(status: string): boolean {
  return status.toUpperCase() === "PAUSED";
}

export const CODEARTS_STATUS_WORDS = CODEARTS_STATES.words;

/** Stage/job words that mean this part failed (stage model: FAILED and ASYNC_FAILED; steps: FAILED). */
export function isFailedPart(status: string | null | undefined): boolean {
  const word = status?.toUpperCase();
  return word === "FAILED" || word === "ASYNC_FAILED";
}
