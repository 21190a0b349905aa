import { matchMergeGroup, normalizeMergeGroup } from "../matching/merge-group.js";
import { ACTIVE_STATES } from "../storage/types.js";
import { repositoryOf, type IncomingEvent, type Services } from "./services.js";
import { withRepoConfig } from "./with-repo-config.js";

/**
 * Merge queue: `checks_requested` starts the opted-in pipelines on the group's head commit and temporary
 * branch (their checks land on that commit, which is what the queue waits for); `destroyed` (merged,
 * invalidated, dequeued) cancels the group's runs that are still going.
 */
export async function handleMergeGroup(event: IncomingEvent, services: Services): Promise<void> {
  const group = normalizeMergeGroup(event.payload);
  if (!group) {
    services.ctx.log.warn({ delivery: event.id }, "merge_group payload without the fields we need: ignored");
    return;
  }
  const repository = repositoryOf(event.payload);
  if (group.action === "destroyed") {
    // The head commit exists only for this group, so every run on it belongs to the group.
    const runs = await services.ctx.store.runsForCommit(repository.owner, repository.name, group.headSha);
    const reason = `Merge group ${group.reason ?? "destroyed"}`;
    for (const run of runs) if (ACTIVE_STATES.includes(run.state) && !run.cancelRequested) await services.runs.cancel(run, reason);
    return;
  }
  const config = await withRepoConfig(event, repository, group.headSha, services);
  if (!config) return;
  const pipelines = matchMergeGroup(group, config.pipelines);
  if (pipelines.length === 0) return;
  await services.runs.start({
    installationId: event.installationId,
    repository,
    sha: group.headSha,
    ref: group.headRef,
    refType: "branch",
    event: "merge_group",
    reportMode: config.report,
    pipelines,
  });
}
