import picomatch from "picomatch";
import { z } from "zod";
import type { PipelineConfig } from "../config/repo-config.js";

/**
 * A `merge_group` webhook reduced to what matching and triggering need. GitHub builds a temporary branch
 * (`gh-readonly-queue/<base>/pr-<n>-<sha>`) whose head commit is what the queue would merge.
 */
export interface MergeGroupEvent {
  action: "checks_requested" | "destroyed";
  /** The commit the queue would merge: runs and checks go on it. */
  headSha: string;
  /** The temporary branch, without `refs/heads/`. */
  headRef: string;
  /** The branch the queue merges into, without `refs/heads/`. */
  baseRef: string;
  defaultBranch: string;
  /** `destroyed` only: merged, invalidated or dequeued. */
  reason?: string;
}

const branchRef = z.string().min(1).transform((ref) => ref.replace(/^refs\/heads\//, ""));

/** The fields of the payload we use, parsed at the edge (GitHub's payload, see the merge_group webhook docs). */
export const mergeGroupPayloadSchema = z.object({
  action: z.enum(["checks_requested", "destroyed"]),
  reason: z.string().optional(),
  merge_group: z.object({
    head_sha: z.string().regex(/^[0-9a-f]{40}$/),
    head_ref: branchRef,
    base_ref: branchRef,
  }),
  repository: z.object({ default_branch: z.string().min(1) }),
});

/** undefined for actions we do not act on (or a payload that is not a merge group's). Pure. */
export function normalizeMergeGroup(payload: unknown): MergeGroupEvent | undefined {
  const parsed = mergeGroupPayloadSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const { action, reason, merge_group: group, repository } = parsed.data;
  return { action, headSha: group.head_sha, headRef: group.head_ref, baseRef: group.base_ref, defaultBranch: repository.default_branch, reason };
}

/**
 * The pipelines a merge group runs: those with `on.merge_group` whose branch filter (default: the repository's
 * default branch) matches the branch the queue merges into. Pure.
 */
export function matchMergeGroup(event: MergeGroupEvent, pipelines: readonly PipelineConfig[]): PipelineConfig[] {
  return pipelines.filter((pipeline) => {
    const rule = pipeline.on.merge_group;
    if (!rule) return false;
    if (rule.branches === undefined) return event.baseRef === event.defaultBranch;
    return picomatch.isMatch(event.baseRef, rule.branches, { dot: true });
  });
}
