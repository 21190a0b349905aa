import type { RunState } from "../types.js";
import { statusTable } from "../unknown-status.js";

/**
 * Every value of Zadig's `config.Status` (23 on the current server; v1.7 had the first 12 of
 * them). The source calls `created, running, waiting, queued, blocked, pending, prepare,
 * wait_for_approval` and "" incomplete; `passed, failed, timeout, cancelled, reject` completed.
 */
const ZADIG_STATES = statusTable<RunState>([
  ["disabled", "skipped"],
  ["created", "queued"],
  ["running", "running"],
  ["passed", "success"],
  ["skipped", "skipped"],
  ["failed", "failure"],
  ["timeout", "failure"],
  ["cancelled", "cancelled"],
  // v1.7's twelve end here (`pause` came later).
  ["pause", "running"],
  ["waiting", "queued"],
  ["queued", "queued"],
  ["blocked", "queued"],
  ["pending", "queued"],
  // `changed` and `distributed` mark notifications and jobs, never a whole task; if one shows up
  // on a task anyway, the run keeps polling until the vendor settles or the timeout.
  ["changed", "running"],
  ["notRun", "skipped"],
  ["prepare", "queued"],
  ["reject", "failure"],
  ["distributed", "running"],
  ["wait_for_approval", "running"],
  ["debug_before", "running"],
  ["debug_after", "running"],
  // "Passed with warnings": the run did its job, so the check passes.
  ["unstable", "success"],
  ["wait_for_manual_error_handling", "running"],
]);

export const ZADIG_STATUS_WORDS: readonly string[] = ZADIG_STATES.words;

/** The `config.Status` values of Zadig v1.7.0. */
export const ZADIG_V17_STATUS_WORDS: readonly string[] = [
  "disabled", "created", "running", "passed", "skipped", "failed", "timeout", "cancelled", "waiting", "queued", "blocked", "pending",
];

/** These hold a task until a person approves, continues past a breakpoint or decides on a failed job. */
const WAITING_FOR_A_PERSON = new Set(["pause", "wait_for_approval", "debug_before", "debug_after", "wait_for_manual_error_handling"]);

/** Job and stage words that mean "this part broke", for failure details. */
const FAILED_PARTS = new Set(["failed", "timeout", "reject"]);

/** Returns undefined for a word Zadig has not documented, so the caller can log it. */
export function mapZadigStatus(status: string): RunState | undefined {
  // A task that has not been scheduled yet carries no status at all (`omitempty`).
  if (status === "") return "queued";
  return ZADIG_STATES.get(status);
}

export function isWaitingForAction(status: string): boolean {
  return WAITING_FOR_A_PERSON.has(status.toLowerCase());
}

export function isFailedPart(status: string | undefined): boolean {
  return status !== undefined && FAILED_PARTS.has(status.toLowerCase());
}
