import type { RunState } from "../types.js";
import { statusTable } from "../unknown-status.js";

/**
 * Every pipeline status of GitLab's `Ci::HasStatus` (13 values).
 * `manual` and `scheduled` block on a person or a timer: the run is not over.
 */
const GITLAB_STATES = statusTable<RunState>(Object.entries({
  created: "queued",
  waiting_for_resource: "queued",
  preparing: "queued",
  waiting_for_callback: "running",
  pending: "queued",
  running: "running",
  canceling: "running",
  manual: "running",
  scheduled: "queued",
  success: "success",
  failed: "failure",
  canceled: "cancelled",
  skipped: "skipped",
} satisfies Record<string, RunState>));

/** Returns undefined for a word GitLab has not documented, so the caller can log it. */
export function mapGitlabStatus(status: string): RunState | undefined {
  return GITLAB_STATES.get(status);
}

export function isWaitingForAction(status: string): boolean {
  return status.toLowerCase() === "manual";
}

export const GITLAB_STATUS_WORDS = GITLAB_STATES.words;
