import type { RepoConfig } from "../config/repo-config.js";
import { decidePipelines, needsChangedFiles, skippedReports } from "../matching/match-pipelines.js";
import { findSkipMarker } from "../matching/skip-marker.js";
import type { PullRequestEvent } from "../matching/trigger-event.js";
import type { RepositoryRef } from "../vendors/types.js";
import type { Octokit } from "./octokit.js";
import { startReopenedRuns } from "./reopened-runs.js";
import { reportSkipped } from "./report-skipped.js";
import type { Services } from "./services.js";

/** GitHub's list-files endpoint stops at 3,000 files; past that, path filters let the PR through. */
const MAX_LISTED_FILES = 3000;

export interface PullRequestRunOptions {
  installationId: number;
  octokit: Octokit;
  /** Approvals start pipelines whatever the PR action was. */
  ignoreActionTypes?: boolean;
  /** Write neutral checks for skipped pipelines (only for a new head commit, not on re-evaluations). */
  reportSkips: boolean;
  /** The webhook delivery, so a reopened PR's new attempts start once however often the event is handled. */
  deliveryId?: string;
}

/** Decides and starts the pipelines of a PR's head commit, honouring skip markers and path and label filters. */
export async function startPullRequestRuns(
  repository: RepositoryRef,
  pr: PullRequestEvent,
  config: RepoConfig,
  services: Services,
  options: PullRequestRunOptions,
): Promise<void> {
  const { octokit } = options;
  if (needsChangedFiles(pr, config.pipelines)) {
    pr.changedFiles = await listChangedFiles(octokit, repository.owner, repository.name, pr.number);
  }
  const decisions = decidePipelines(pr, config.pipelines, { ignoreActionTypes: options.ignoreActionTypes }).filter(
    (d) => d.verdict === "run" || (options.reportSkips && d.pipeline.report_when_skipped),
  );
  if (decisions.length === 0) return;

  const { data: commit } = await octokit.rest.git.getCommit({ owner: repository.owner, repo: repository.name, commit_sha: pr.sha });
  const marker = findSkipMarker(commit.message);
  const target = { owner: repository.owner, repo: repository.name, sha: pr.sha, mode: config.report };
  const report = (pipeline: string, reason: string) => reportSkipped(octokit, target, pipeline, reason, services.ctx.operator.masker);
  if (!marker) {
    const input = {
      installationId: options.installationId,
      repository,
      sha: pr.sha,
      ref: pr.headRef,
      refType: "branch" as const,
      pullRequest: { number: pr.number, headRef: pr.headRef, baseRef: pr.baseRef, headSha: pr.sha, fromFork: pr.fromFork },
      event: "pull_request" as const,
      actor: pr.sender,
      reportMode: config.report,
      pipelines: decisions.flatMap((d) => (d.verdict === "run" ? [d.pipeline] : [])),
    };
    if (pr.action === "reopened") await startReopenedRuns(input, services, options.deliveryId);
    else await services.runs.start(input);
  }
  if (options.reportSkips) for (const skipped of skippedReports(decisions, marker)) await report(skipped.pipeline, skipped.reason);
}

async function listChangedFiles(octokit: Octokit, owner: string, repo: string, number: number): Promise<string[] | undefined> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: 100 });
  if (files.length >= MAX_LISTED_FILES) return undefined;
  return files.flatMap((file) => (file.previous_filename ? [file.filename, file.previous_filename] : [file.filename]));
}
