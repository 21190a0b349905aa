import type { AnnotationPattern, PipelineConfig } from "../config/repo-config.js";
import type { RepositoryRef, RunHandle, TriggerRequest } from "../vendors/types.js";
import type { RunRecord } from "../storage/types.js";

/** What a run row keeps about its trigger, so retries and the tracker work after a restart. */
export interface StoredRequest {
  trigger: TriggerRequest<unknown>;
  event: TriggerSource;
  /** The GitHub user who caused the run (pusher, PR sender, commenter), shown on the check. */
  actor?: string;
  threshold?: number;
  /** The pipeline's concurrency limit when the run was created. */
  concurrency?: number;
  /** The pipeline's `annotations:` patterns, matched against failed jobs' logs when the run ends. */
  annotations?: AnnotationPattern[];
  /** A `/retry` of this earlier run: the vendor's native retry is tried first. */
  retryOf?: number;
}

export type TriggerSource = "push" | "pull_request" | "comment" | "check_run" | "merge_group";

export interface TriggerFacts {
  repository: RepositoryRef;
  sha: string;
  ref: string;
  refType: "branch" | "tag";
  pullRequest?: TriggerRequest<unknown>["pullRequest"];
  event: TriggerSource;
  actor?: string;
}

/**
 * The RELAY_* variables every run receives (documented in the README), after the pipeline's own.
 * They are set last, so a pipeline cannot shadow them.
 */
export function relayVariables(facts: TriggerFacts, pipeline: string, runId: number): Record<string, string> {
  const variables: Record<string, string> = {
    RELAY_SHA: facts.sha,
    RELAY_REF: facts.ref,
    RELAY_REF_TYPE: facts.refType,
    RELAY_REPOSITORY: facts.repository.fullName,
    RELAY_REPOSITORY_URL: facts.repository.cloneUrl,
    RELAY_EVENT: facts.event,
    RELAY_PIPELINE: pipeline,
    RELAY_RUN_ID: String(runId),
  };
  if (facts.pullRequest) {
    variables.RELAY_PR_NUMBER = String(facts.pullRequest.number);
    variables.RELAY_PR_HEAD_REF = facts.pullRequest.headRef;
    variables.RELAY_PR_BASE_REF = facts.pullRequest.baseRef;
  }
  return variables;
}

export function buildStoredRequest(
  facts: TriggerFacts,
  pipeline: PipelineConfig,
  target: unknown,
  runId: number,
  commentVariables: Record<string, string> = {},
): StoredRequest {
  const short = facts.sha.slice(0, 7);
  const pr = facts.pullRequest ? ` (PR #${facts.pullRequest.number})` : "";
  return {
    trigger: {
      target,
      repository: facts.repository,
      sha: facts.sha,
      ref: facts.ref,
      refType: facts.refType,
      pullRequest: facts.pullRequest,
      variables: { ...pipeline.variables, ...commentVariables, ...relayVariables(facts, pipeline.name, runId) },
      description: `GitHub ${facts.repository.fullName}@${short}${pr} via pipeline-relay`,
    },
    event: facts.event,
    ...(facts.actor ? { actor: facts.actor } : {}),
    threshold: pipeline.tests?.threshold,
    concurrency: pipeline.concurrency,
    ...(pipeline.annotations ? { annotations: pipeline.annotations } : {}),
  };
}

/** The stored request; a row whose request was never written (a crash right after the insert) has none. */
export function readStoredRequest(run: RunRecord): StoredRequest {
  const request = JSON.parse(run.request) as Partial<StoredRequest>;
  if (!request.trigger) throw new Error(`run ${run.id} has no stored request (the process stopped while creating it)`);
  return request as StoredRequest;
}

export function handleOf(run: RunRecord): RunHandle {
  if (!run.vendorRunId) throw new Error(`run ${run.id} has no vendor run yet`);
  return {
    runId: run.vendorRunId,
    webUrl: run.webUrl ?? undefined,
    extra: run.handleExtra ? (JSON.parse(run.handleExtra) as Record<string, string>) : undefined,
  };
}
