import type { RepoConfig } from "../config/repo-config.js";
import { ConfigError } from "../errors.js";
import type { RepositoryRef } from "../vendors/types.js";
import type { CachedConfig } from "./config-cache.js";
import { loadRepoConfig, reportConfigError } from "./load-config.js";
import type { IncomingEvent, Services } from "./services.js";

/** The repository's config, or null (no file, or a bad file that was reported on `sha`). */
export async function withRepoConfig(event: IncomingEvent, repository: RepositoryRef, sha: string, services: Services): Promise<RepoConfig | null> {
  const coordinates = { owner: repository.owner, repo: repository.name, fullName: repository.fullName };
  const { repoConfigs } = services.ctx;
  let loaded: CachedConfig | undefined = repoConfigs.get(repository.fullName);
  if (loaded === undefined) {
    try {
      loaded = await loadRepoConfig(event.octokit, event, coordinates, services.ctx.operator, services.ctx.log);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      loaded = error;
    }
    repoConfigs.set(repository.fullName, loaded);
  }
  if (loaded instanceof ConfigError) {
    services.ctx.log.info({ repository: repository.fullName, problems: loaded.problems.length }, "invalid repository config");
    await reportConfigError(event.octokit, coordinates, sha, loaded, services.ctx.operator.masker);
    return null;
  }
  return loaded;
}
