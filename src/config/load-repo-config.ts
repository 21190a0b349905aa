import picomatch from "picomatch";
import { ConfigError, type ConfigProblem } from "../errors.js";
import { zodProblems } from "../zod-issues.js";
import type { OperatorConfig } from "./operator-config.js";
import { getRepoConfigSchema, REPO_CONFIG_PATH, vendorOf, type RepoConfig } from "./repo-config.js";

/**
 * Validates a `.github/pipelines.yml` document (already parsed from YAML, `_extends` applied)
 * against the schema and against the operator's connections. Throws ConfigError with every problem.
 */
export function parseRepoConfig(raw: unknown, repository: string, operator: OperatorConfig): RepoConfig {
  const result = getRepoConfigSchema().safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(REPO_CONFIG_PATH, zodProblems(result.error));

  const problems: ConfigProblem[] = [];
  result.data.pipelines.forEach((pipeline, index) => {
    const path = `pipelines[${index}].connection`;
    const connection = operator.connections[pipeline.connection];
    if (!connection) {
      problems.push({ path, problem: `unknown connection "${pipeline.connection}"; known: ${Object.keys(operator.connections).join(", ") || "(none)"}` });
      return;
    }
    if (!isRepositoryAllowed(connection.repositories, repository)) {
      problems.push({ path, problem: `connection "${pipeline.connection}" may not be used by ${repository}; ask the operator to add it to the connection's repositories` });
    }
    const vendor = vendorOf(pipeline);
    if (connection.vendor !== vendor) {
      problems.push({ path, problem: `connection "${pipeline.connection}" is a ${connection.vendor} connection, but the pipeline has a ${vendor} block` });
    }
  });
  if (problems.length > 0) throw new ConfigError(REPO_CONFIG_PATH, problems);
  return result.data;
}

export function isRepositoryAllowed(globs: readonly string[], repository: string): boolean {
  return picomatch.isMatch(repository.toLowerCase(), globs.map((glob) => glob.toLowerCase()));
}
