import type { StoredRunState } from "../storage/types.js";
import type { TestJudgement } from "./judge-tests.js";

export type CheckConclusion = "success" | "failure" | "neutral" | "cancelled" | "timed_out" | "action_required" | "skipped";

/** The GitHub conclusion of a finished run: a green vendor run still fails a missed test threshold. */
export function concludeRun(state: StoredRunState, judgement?: TestJudgement): CheckConclusion {
  switch (state) {
    case "success":
      return judgement?.verdict === "fail" ? "failure" : "success";
    case "failure":
    case "error":
      return "failure";
    case "cancelled":
      return "cancelled";
    case "timed_out":
      return "timed_out";
    case "skipped":
      return "neutral";
    default:
      throw new Error(`run state ${state} is not final`);
  }
}

export type CommitStatusState = "pending" | "success" | "failure" | "error";

/** Commit statuses know four words only; neutral outcomes must not block a required status. */
export function commitStatusState(status: "queued" | "in_progress" | "completed", conclusion?: CheckConclusion): CommitStatusState {
  if (status !== "completed") return "pending";
  switch (conclusion) {
    case "success":
    case "neutral":
    case "skipped":
      return "success";
    case "cancelled":
      return "error";
    default:
      return "failure";
  }
}
