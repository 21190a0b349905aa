import type { ProbotOctokit } from "probot";

export type Octokit = InstanceType<typeof ProbotOctokit>;

/** Builds an installation client, also outside a webhook (the tracker after a restart). */
export type GitHubClientFactory = (installationId: number) => Promise<Octokit>;

export const CHECK_PREFIX = "pipeline-relay/";
export const CONFIG_CHECK_NAME = `${CHECK_PREFIX}config`;

export function checkName(pipeline: string): string {
  return `${CHECK_PREFIX}${pipeline}`;
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
