import type { RepoConfig } from "../config/repo-config.js";
import { ConfigError } from "../errors.js";
import type { RepositoryRef } from "../vendors/types.js";
import { loadRepoConfig, reportConfigError } from "./load-config.js";
import type { IncomingEvent, Services } from "./services.js";

/** The repository's config, or null (no file, or a bad file that was reported on `sha`). */
export async function withRepoConfig(event: IncomingEvent, repository: RepositoryRef, sha: string, services: Services): Promise<RepoConfig | null> {
  const coordinates = { owner: repository.owner, repo: repository.name, fullName: repository.fullName };
  try {
    return await loadRepoConfig(event.octokit, event, coordinates, services.ctx.operator, services.ctx.log);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    services.ctx.log.info({ repository: repository.fullName, problems: error.problems.length }, "invalid repository config");
    await reportConfigError(event.octokit, coordinates, sha, error);
    return null;
  }
}
