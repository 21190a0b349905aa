import type { RunState } from "../types.js";

/**
 * Every pipeline status of GitLab's `Ci::HasStatus` (13 values).
 * `manual` and `scheduled` block on a person or a timer: the run is not over.
 */
const GITLAB_STATES: Record<string, RunState> = {
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
};

/** Returns undefined for a word GitLab has not documented, so the caller can log it. */
export function mapGitlabStatus(status: string): RunState | undefined {
  return GITLAB_STATES[status];
}

export function isWaitingForAction(status: string): boolean {
  return status === "manual";
}

export const GITLAB_STATUS_WORDS = Object.keys(GITLAB_STATES);
