import { isApprovalAnswer } from "../commands/fork-approval.js";
import { runCommand } from "../commands/run-command.js";
import { normalizePullRequest } from "../matching/normalize-event.js";
import { fitComment } from "../reporting/github-limits.js";
import { latestRuns } from "../runs/latest-runs.js";
import { readStoredRequest, type TriggerFacts } from "../runs/stored-request.js";
import { CHECK_PREFIX, CONFIG_CHECK_NAME } from "./octokit.js";
import { repositoryOf, type IncomingEvent, type Services } from "./services.js";
import { withRepoConfig } from "./with-repo-config.js";

/**
 * GitHub's "Re-run" buttons: `check_run.rerequested` does what `/retry <that pipeline>` does,
 * `check_suite.rerequested` what `/retry` does. GitHub shows the buttons only to people with write access.
 */
export async function handleRerequest(event: IncomingEvent, services: Services): Promise<void> {
  const { payload } = event;
  if (payload.action !== "rerequested") return;
  const isRun = event.name === "check_run";
  const sha: string = isRun ? payload.check_run.head_sha : payload.check_suite.head_sha;
  const checkName: string | undefined = isRun ? payload.check_run.name : undefined;
  if (checkName !== undefined && (!checkName.startsWith(CHECK_PREFIX) || checkName === CONFIG_CHECK_NAME)) return;

  const repository = repositoryOf(payload);
  const runs = await services.ctx.store.runsForCommit(repository.owner, repository.name, sha);
  const pipeline = checkName?.slice(CHECK_PREFIX.length);
  const known = pipeline ? latestRuns(runs).get(pipeline) : runs.at(-1);
  if (!known) {
    services.ctx.log.info({ sha, check: checkName }, "re-run requested for a commit pipeline-relay has no run for");
    return;
  }
  const config = await withRepoConfig(event, repository, sha, services);
  if (!config) return;
  const stored = readStoredRequest(known).trigger;
  const facts: TriggerFacts = {
    repository: stored.repository,
    sha,
    ref: stored.ref,
    refType: stored.refType,
    pullRequest: stored.pullRequest,
    event: "check_run",
    actor: payload.sender.login,
  };
  // The pull request (if the run was for one) decides whether its head commit needs an approval first.
  const pullRequest = stored.pullRequest ? { ...(await pullRequestEvent(event, repository, stored.pullRequest.number, payload.sender.login)), sha } : undefined;
  const target = { installationId: event.installationId, octokit: event.octokit, author: payload.sender.login, config, facts, pullRequest };
  const problem = await runCommand({ name: "retry", pipeline }, target, services);
  if (!problem) return;
  services.ctx.log.info({ sha, check: checkName, problem }, "re-run request not carried out");
  // A button has no place for an answer but the pull request itself: say there how to approve the commit.
  if (stored.pullRequest && isApprovalAnswer(problem)) {
    await event.octokit.rest.issues.createComment({
      owner: repository.owner,
      repo: repository.name,
      issue_number: stored.pullRequest.number,
      body: fitComment(services.ctx.operator.masker.mask(`@${payload.sender.login} ${problem}`)),
    });
  }
}

async function pullRequestEvent(event: IncomingEvent, repository: { owner: string; name: string }, number: number, sender: string) {
  const { data } = await event.octokit.rest.pulls.get({ owner: repository.owner, repo: repository.name, pull_number: number });
  return normalizePullRequest({ action: "rerequested", pull_request: data as never, sender: { login: sender } });
}
