import { decidePipelines, skippedReports } from "../matching/match-pipelines.js";
import { normalizePush } from "../matching/normalize-event.js";
import { findSkipMarker } from "../matching/skip-marker.js";
import { pushMayChangeConfig } from "./config-cache.js";
import { reportSkipped } from "./report-skipped.js";
import { repositoryOf, type IncomingEvent, type Services } from "./services.js";
import { withRepoConfig } from "./with-repo-config.js";

export async function handlePush(event: IncomingEvent, services: Services): Promise<void> {
  const push = normalizePush(event.payload);
  const repository = repositoryOf(event.payload);
  // The config lives on the default branch: a push there that touched it (or may have) drops the cached copy.
  const onDefaultBranch = event.payload.ref === `refs/heads/${event.payload.repository.default_branch}`;
  if (onDefaultBranch && pushMayChangeConfig(push.changedFiles, event.payload.forced === true)) services.ctx.repoConfigs.invalidate(repository.fullName);
  if (push.deleted) return;
  const config = await withRepoConfig(event, repository, push.sha, services);
  if (!config) return;
  const decisions = decidePipelines(push, config.pipelines);
  if (decisions.length === 0) return;

  const target = { owner: repository.owner, repo: repository.name, sha: push.sha, mode: config.report };
  const report = (pipeline: string, reason: string) => reportSkipped(event.octokit, target, pipeline, reason, services.ctx.operator.masker);
  const marker = findSkipMarker(push.headCommitMessage);
  if (!marker) {
    await services.runs.start({
      installationId: event.installationId,
      repository,
      sha: push.sha,
      ref: push.ref,
      refType: push.refType,
      event: "push",
      actor: push.pusher,
      reportMode: config.report,
      pipelines: decisions.flatMap((d) => (d.verdict === "run" ? [d.pipeline] : [])),
    });
  }
  for (const skipped of skippedReports(decisions, marker)) await report(skipped.pipeline, skipped.reason);
}
