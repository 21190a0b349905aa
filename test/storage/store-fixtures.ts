import type { ClaimOptions, NewEvent, NewRun, ResultUpload } from "../../src/storage/types.js";

/** Rows and claim options for the store tests; each case overrides what it is about. */
export const event = (deliveryId: string, overrides: Partial<NewEvent> = {}): NewEvent => ({
  deliveryId, name: "push", payload: { id: deliveryId }, installationId: 1, repoKey: "acme/app", ...overrides,
});

export const newRun = (overrides: Partial<NewRun> = {}): NewRun => ({
  installationId: 1, owner: "acme", repo: "app", sha: "a".repeat(40), pipeline: "build", ref: "main", attempt: 1,
  triggerKey: null, vendor: "gitlab", connection: "gitlab-main", request: "{}", prNumber: null, state: "pending",
  reportMode: "checks", nextPollAt: 0, timeoutAt: 10_000_000, createdAt: 0, ...overrides,
});

export const claim = (owner: string, now: number, overrides: Partial<ClaimOptions> = {}): ClaimOptions => ({
  owner, now, leaseMs: 1000, limit: 10, ...overrides,
});

export const upload: ResultUpload = { format: "summary", total: 3, passed: 2, failed: 1, skipped: 0, errored: 0, failures: [] };
