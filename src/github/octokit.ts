import type { ProbotOctokit } from "probot";

export type Octokit = InstanceType<typeof ProbotOctokit>;

/** Builds an installation client, also outside a webhook (the tracker after a restart). */
export type GitHubClientFactory = (installationId: number) => Promise<Octokit>;

export const CHECK_PREFIX = "pipeline-relay/";
export const CONFIG_CHECK_NAME = `${CHECK_PREFIX}config`;

export function checkName(pipeline: string): string {
  return `${CHECK_PREFIX}${pipeline}`;
}

const EVENT_CHECK_EXTERNAL_ID = { skipped: "pipeline-relay:skipped", approval: "pipeline-relay:approval", config: "pipeline-relay:config" } as const;

/**
 * How a check run an event writes itself (not a run's) is published: under its external_id, and the commit's check
 * runs of that name are looked up first and ours updated, so handling an event again (after a crash, or a GitHub
 * failure half-way through its reports) never adds a second one.
 */
export function eventCheck(kind: keyof typeof EVENT_CHECK_EXTERNAL_ID) {
  return { checkRunId: null, externalId: EVENT_CHECK_EXTERNAL_ID[kind], lookupFirst: true } as const;
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
