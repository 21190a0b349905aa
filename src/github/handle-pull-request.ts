import { normalizePullRequest } from "../matching/normalize-event.js";
import { ACTIVE_STATES } from "../storage/types.js";
import { reportApproval } from "./report-skipped.js";
import { repositoryOf, type IncomingEvent, type Services } from "./services.js";
import { startPullRequestRuns } from "./start-pull-request-runs.js";
import { isTrustedPullRequest, trustedAuthorsOf } from "./trust.js";
import { withRepoConfig } from "./with-repo-config.js";

/** Actions that bring a new head commit (or a new look at it): only these report skipped pipelines. */
const NEW_HEAD_ACTIONS = new Set(["opened", "synchronize", "reopened", "ready_for_review"]);

export async function handlePullRequest(event: IncomingEvent, services: Services): Promise<void> {
  const pr = normalizePullRequest(event.payload);
  const repository = repositoryOf(event.payload);
  if (pr.state === "closed") {
    await cancelRunsOfClosedPullRequest(event, services);
    return;
  }
  const config = await withRepoConfig(event, repository, pr.sha, services);
  if (!config) return;

  const trustedAuthors = trustedAuthorsOf(config, services.ctx.operator.trusted_authors);
  if (!(await isTrustedPullRequest(event.octokit, repository, pr, trustedAuthors, services.ctx.store))) {
    if (NEW_HEAD_ACTIONS.has(pr.action)) {
      const target = { owner: repository.owner, repo: repository.name, sha: pr.sha, mode: config.report };
      await reportApproval(event.octokit, target, { author: pr.author }, services.ctx.operator.masker);
    }
    services.ctx.log.info({ pr: pr.number, author: pr.author }, "pull request waits for /ok-to-test");
    return;
  }
  await startPullRequestRuns(repository, pr, config, services, {
    installationId: event.installationId,
    octokit: event.octokit,
    reportSkips: NEW_HEAD_ACTIONS.has(pr.action),
    deliveryId: event.id,
  });
}

/** Closing or merging a PR cancels its in-flight runs. */
async function cancelRunsOfClosedPullRequest(event: IncomingEvent, services: Services): Promise<void> {
  const { payload } = event;
  const active = await services.ctx.store.findRuns({
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
    prNumber: payload.pull_request.number,
    states: ACTIVE_STATES,
  });
  const reason = payload.pull_request.merged ? "Pull request merged" : "Pull request closed";
  for (const run of active) await services.runs.cancel(run, reason);
}
