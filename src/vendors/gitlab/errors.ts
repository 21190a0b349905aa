import { VendorError } from "../../errors.js";
import { asRecord, type ErrorEnvelope } from "../envelope.js";
import type { TriggerRequest } from "../types.js";
import { errorBody, type GitlabTarget } from "./schema.js";

/** `{"message": "..."}`, `{"message": {"field": ["..."]}}` or `{"error": "..."}`, as GitLab writes errors. */
export function describeGitlabError(body: unknown): { message?: string } | undefined {
  const parsed = errorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { message, error } = parsed.data;
  if (typeof message === "string") return { message };
  if (message) {
    return {
      message: Object.entries(message)
        .map(([field, problems]) => `${field}: ${[problems].flat().join(", ")}`)
        .join("; "),
    };
  }
  return error ? { message: error } : undefined;
}

/** GitLab's error in a 2xx body. No success answer the adapter reads has a top-level `message` or `error`. */
export const gitlabEnvelope: ErrorEnvelope = {
  vendor: "gitlab",
  displayName: "GitLab",
  errorOf(body) {
    const record = asRecord(body);
    if (!record || (record.message === undefined && record.error === undefined)) return undefined;
    return describeGitlabError(body) ?? { message: "an error GitLab did not explain" };
  },
};

const REFERENCE_NOT_FOUND = /reference not found/i;

/**
 * Pure: what to do about GitLab's `Reference not found` on a start. GitLab runs a branch or tag of its own
 * project, so the ref is missing there: a configured `ref` that does not exist, a fork's branch (a mirror
 * holds only the repository's own branches), or a mirror that has not synced the push yet.
 */
export function referenceRemedy(req: Pick<TriggerRequest<GitlabTarget>, "target" | "ref" | "pullRequest">): string {
  if (req.target.ref !== undefined) {
    return `the ref \`${req.target.ref}\` set in the pipeline's gitlab block does not exist on GitLab project ${req.target.project}: create it there or fix \`ref\``;
  }
  if (req.pullRequest?.fromFork) {
    return `the pull request comes from a fork, and its branch \`${req.ref}\` is not on GitLab project ${req.target.project} (a mirror holds only the repository's own branches): push the branch to the repository itself, or set \`ref\` in the gitlab block`;
  }
  return `the branch or tag \`${req.ref}\` is not on GitLab project ${req.target.project} yet: the mirror has probably not synced this push; \`/retry\` once it has (or check the mirror's settings)`;
}

/** Adds the remedy to a `Reference not found` error; any other error is returned unchanged. */
export function withReferenceRemedy(error: unknown, req: TriggerRequest<GitlabTarget>): unknown {
  if (!(error instanceof VendorError) || !REFERENCE_NOT_FOUND.test(error.message)) return error;
  const reason = `${error.message.replace(/^\S+ \S+ failed: /, "")} — ${referenceRemedy(req)}`;
  return new VendorError(reason, {
    vendor: error.vendor,
    operation: error.operation,
    status: error.status,
    retryable: error.retryable,
    vendorCode: error.vendorCode,
    ambiguous: error.ambiguous,
    cause: error,
  });
}
