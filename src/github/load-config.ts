import { Context } from "probot";
import type { Logger } from "probot";
import { describeYamlError } from "../config/config-hints.js";
import { parseRepoConfig } from "../config/load-repo-config.js";
import { REPO_CONFIG_FILE, REPO_CONFIG_PATH, type RepoConfig } from "../config/repo-config.js";
import type { OperatorConfig } from "../config/operator-config.js";
import { ConfigError, errorMessage } from "../errors.js";
import { renderConfigProblems } from "../reporting/render-config-problems.js";
import type { SecretMasker } from "../secrets.js";
import { CONFIG_CHECK_NAME, eventCheck, statusOf, type Octokit } from "./octokit.js";
import { publishReport } from "./publish-report.js";

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
    const syntax = describeYamlError(error);
    throw new ConfigError(REPO_CONFIG_PATH, [syntax ?? { path: "", problem: `cannot be read: ${stripPluginPrefix(errorMessage(error))}` }]);
  }
  if (raw === null) return null;
  return parseRepoConfig(raw, repository.fullName, operator);
}

/** A failed `pipeline-relay/config` check on the commit, listing every problem, so the maintainers see it. */
export async function reportConfigError(octokit: Octokit, repository: RepoCoordinates, sha: string, error: ConfigError, masker: SecretMasker): Promise<void> {
  // publishReport falls back to a commit status where the installation may not write checks.
  await publishReport(
    octokit,
    { owner: repository.owner, repo: repository.repo, sha, name: CONFIG_CHECK_NAME, mode: "checks", ...eventCheck("config") },
    { status: "completed", conclusion: "failure", ...renderConfigProblems(error) },
    masker,
  );
}

function stripPluginPrefix(message: string): string {
  return message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, "");
}
