import { matchPipelines } from "../matching/match-pipelines.js";
import { normalizePush } from "../matching/normalize-event.js";
import { repositoryOf, type IncomingEvent, type Services } from "./services.js";
import { withRepoConfig } from "./with-repo-config.js";

export async function handlePush(event: IncomingEvent, services: Services): Promise<void> {
  const push = normalizePush(event.payload);
  if (push.deleted) return;
  const repository = repositoryOf(event.payload);
  const config = await withRepoConfig(event, repository, push.sha, services);
  if (!config) return;
  const pipelines = matchPipelines(push, config.pipelines);
  if (pipelines.length === 0) return;
  await services.runs.start({
    installationId: event.installationId,
    repository,
    sha: push.sha,
    ref: push.ref,
    refType: push.refType,
    event: "push",
    reportMode: config.report,
    pipelines,
  });
}
