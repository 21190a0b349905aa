import { VendorError } from "../errors.js";
import type { RunHandle, TriggerRequest } from "./types.js";

/*
 * Shared rules of `findRun`: which runs are looked at, and what a search that cannot tell concludes.
 * Each adapter lists its vendor's runs and judges every candidate; `decideFoundRun` turns the
 * verdicts into found / not found / "cannot confirm" (a VendorError: never a guess).
 */

/** The variable every trigger carries and every search matches. */
export const RELAY_RUN_ID = "RELAY_RUN_ID";

/** Vendor clocks and ours disagree: runs this much older than `since` are still looked at. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * At most this many runs are inspected one by one (a detail call each). A search runs only after a lost trigger, and
 * a busy branch (a burst of pushes, several repositories on one vendor project) easily has dozens of runs since it:
 * every one must be ruled out before the trigger may be sent again, or the run ends in error.
 */
export const MAX_CANDIDATES = 50;

/** At most this many list pages are read. */
export const MAX_PAGES = 3;

export type CandidateVerdict =
  /** The run carries our RELAY_RUN_ID. */
  | { kind: "ours" }
  /** The run is provably another one (another RELAY_RUN_ID, another commit or ref, another creator). */
  | { kind: "other" }
  /** The run could be ours but shows nothing that says so: the search cannot conclude. */
  | { kind: "unknown"; why: string };

export interface JudgedCandidate {
  handle: RunHandle;
  /** How people recognise the run in a message, e.g. "pipeline 812". */
  label: string;
  verdict: CandidateVerdict;
}

export type FindDecision = { kind: "found"; handle: RunHandle } | { kind: "none" } | { kind: "cannot-confirm"; reason: string };

/**
 * Ours wins (the first one: candidates come newest first). Without ours, any run that could be ours
 * but cannot be told apart, or a search cut short by its bounds, means "cannot confirm": sending the
 * trigger again could duplicate a run, adopting one could track somebody else's.
 */
export function decideFoundRun(candidates: readonly JudgedCandidate[], truncated: boolean): FindDecision {
  const ours = candidates.find((candidate) => candidate.verdict.kind === "ours");
  if (ours) return { kind: "found", handle: ours.handle };
  const unknown = candidates.filter((candidate) => candidate.verdict.kind === "unknown");
  if (unknown.length > 0) {
    const reasons = unknown.map((candidate) => `${candidate.label}: ${(candidate.verdict as { why: string }).why}`);
    return { kind: "cannot-confirm", reason: reasons.join("; ") };
  }
  if (truncated) return { kind: "cannot-confirm", reason: `more runs since the trigger than the ${MAX_CANDIDATES} inspected` };
  return { kind: "none" };
}

/** The RELAY_RUN_ID of a request; a request without one cannot be searched for. */
export function relayRunIdOf(vendor: string, req: Pick<TriggerRequest<unknown>, "variables">): string {
  const value = req.variables[RELAY_RUN_ID];
  if (!value) throw findRunError(vendor, `the request carries no ${RELAY_RUN_ID}, so its run cannot be recognised`);
  return value;
}

export function findRunError(vendor: string, reason: string, extra: { status?: number; cause?: unknown } = {}): VendorError {
  return new VendorError(reason, { vendor, operation: "findRun", retryable: false, ...extra });
}

/** found → the handle, none → null, cannot-confirm → a VendorError naming the runs it could not tell apart. */
export function settleFoundRun(vendor: string, decision: FindDecision): RunHandle | null {
  switch (decision.kind) {
    case "found":
      return decision.handle;
    case "none":
      return null;
    case "cannot-confirm":
      throw findRunError(vendor, `cannot tell whether the lost trigger started a run: ${decision.reason}`);
  }
}

/** The earliest creation time (epoch ms) a run started by the lost trigger can show. */
export function searchFrom(since: number): number {
  return since - CLOCK_SKEW_MS;
}
