import { Context } from "probot";
import type { Logger } from "probot";
import { parseRepoConfig } from "../config/load-repo-config.js";
import { REPO_CONFIG_FILE, REPO_CONFIG_PATH, type RepoConfig } from "../config/repo-config.js";
import type { OperatorConfig } from "../config/operator-config.js";
import { ConfigError, errorMessage } from "../errors.js";
import { renderConfigProblems } from "../reporting/render-config-problems.js";
import { CONFIG_CHECK_NAME, statusOf, type Octokit } from "./octokit.js";

export interface RepoCoordinates {
  owner: string;
  repo: string;
  fullName: string;
}

/**
 * Reads `.github/pipelines.yml` from the default branch (so a pull request cannot change what runs),
 * with `_extends` support. null: the repository has no such file and is ignored.
 */
export async function loadRepoConfig(
  octokit: Octokit,
  event: { id: string; name: string; payload: unknown },
  repository: RepoCoordinates,
  operator: OperatorConfig,
  log: Logger,
): Promise<RepoConfig | null> {
  const context = new Context(event as never, octokit, log);
  let raw: unknown;
  try {
    raw = await context.config(REPO_CONFIG_FILE);
  } catch (error) {
    if (statusOf(error) !== undefined) throw error; // GitHub trouble: let the worker try again
    throw new ConfigError(REPO_CONFIG_PATH, [{ path: "", problem: `cannot be read: ${stripPluginPrefix(errorMessage(error))}` }]);
  }
  if (raw === null) return null;
  return parseRepoConfig(raw, repository.fullName, operator);
}

/** A failed `pipeline-relay/config` check on the commit, listing every problem, so the maintainers see it. */
export async function reportConfigError(octokit: Octokit, repository: RepoCoordinates, sha: string, error: ConfigError): Promise<void> {
  const output = renderConfigProblems(error);
  try {
    await octokit.rest.checks.create({
      owner: repository.owner,
      repo: repository.repo,
      name: CONFIG_CHECK_NAME,
      head_sha: sha,
      status: "completed",
      conclusion: "failure",
      completed_at: new Date().toISOString(),
      output,
    });
  } catch (checkError) {
    if (statusOf(checkError) !== 403) throw checkError;
    await octokit.rest.repos.createCommitStatus({
      owner: repository.owner,
      repo: repository.repo,
      sha,
      context: CONFIG_CHECK_NAME,
      state: "failure",
      description: output.title.slice(0, 140),
    });
  }
}

function stripPluginPrefix(message: string): string {
  return message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, "");
}
