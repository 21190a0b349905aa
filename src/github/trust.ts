import type { RepoConfig } from "../config/repo-config.js";
import type { PullRequestEvent } from "../matching/trigger-event.js";
import type { RelayStore } from "../storage/types.js";
import { canWrite } from "./authorize.js";
import type { Octokit } from "./octokit.js";

export type TrustDecision = "trusted" | "check-author" | "untrusted-bot";

/**
 * Pure first step. Listed authors are trusted; a branch in the repository itself could only be pushed
 * by someone with write access; a bot that is not listed is never trusted by default, so Dependabot
 * and Renovate are an explicit choice of the operator or the repository.
 */
export function decideTrust(pr: Pick<PullRequestEvent, "author" | "authorIsBot" | "fromFork">, trustedAuthors: readonly string[]): TrustDecision {
  if (trustedAuthors.some((login) => login.toLowerCase() === pr.author.toLowerCase())) return "trusted";
  if (pr.authorIsBot) return "untrusted-bot";
  return pr.fromFork ? "check-author" : "trusted";
}

/**
 * May pipelines start automatically for this PR commit? Untrusted authors need a `/ok-to-test <sha>`
 * for this very commit, unless the commit was pushed by someone with write access.
 */
export async function isTrustedPullRequest(
  octokit: Octokit,
  repository: { owner: string; name: string },
  pr: PullRequestEvent,
  trustedAuthors: readonly string[],
  store: RelayStore,
): Promise<boolean> {
  const decision = decideTrust(pr, trustedAuthors);
  if (decision === "trusted") return true;
  if (await store.isApproved(repository.owner, repository.name, pr.number, pr.sha)) return true;
  if (decision === "check-author" && (await canWrite(octokit, repository.owner, repository.name, pr.author))) return true;
  const pushedByOther = pr.action === "synchronize" && pr.sender.toLowerCase() !== pr.author.toLowerCase();
  if (!pushedByOther || !(await canWrite(octokit, repository.owner, repository.name, pr.sender))) return false;
  // A commit a maintainer pushed counts as approved by them, also for a later /retry or Re-run of it.
  await store.addApproval({ owner: repository.owner, repo: repository.name, prNumber: pr.number, sha: pr.sha, approver: pr.sender, approvedAt: Date.now() });
  return true;
}

export function trustedAuthorsOf(config: RepoConfig, operatorTrusted: readonly string[]): string[] {
  return [...operatorTrusted, ...config.trusted_authors];
}
