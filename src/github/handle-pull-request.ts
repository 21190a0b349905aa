import { matchPipelines, needsChangedFiles } from "../matching/match-pipelines.js";
import { normalizePullRequest } from "../matching/normalize-event.js";
import type { Octokit } from "./octokit.js";
import { repositoryOf, type IncomingEvent, type Services } from "./services.js";
import { withRepoConfig } from "./with-repo-config.js";

/** GitHub's list-files endpoint stops at 3,000 files; past that, path filters let the PR through. */
const MAX_LISTED_FILES = 3000;

export async function handlePullRequest(event: IncomingEvent, services: Services): Promise<void> {
  const pr = normalizePullRequest(event.payload);
  if (pr.state === "closed") return;
  const repository = repositoryOf(event.payload);
  const config = await withRepoConfig(event, repository, pr.sha, services);
  if (!config) return;
  if (needsChangedFiles(pr, config.pipelines)) {
    pr.changedFiles = await listChangedFiles(event.octokit, repository.owner, repository.name, pr.number);
  }
  const pipelines = matchPipelines(pr, config.pipelines);
  if (pipelines.length === 0) return;
  await services.runs.start({
    installationId: event.installationId,
    repository,
    sha: pr.sha,
    ref: pr.headRef,
    refType: "branch",
    pullRequest: { number: pr.number, headRef: pr.headRef, baseRef: pr.baseRef, headSha: pr.sha },
    event: "pull_request",
    reportMode: config.report,
    pipelines,
  });
}

async function listChangedFiles(octokit: Octokit, owner: string, repo: string, number: number): Promise<string[] | undefined> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: 100 });
  if (files.length >= MAX_LISTED_FILES) return undefined;
  return files.flatMap((file) => (file.previous_filename ? [file.filename, file.previous_filename] : [file.filename]));
}
