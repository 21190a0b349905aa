import picomatch from "picomatch";
import { ConfigError, type ConfigProblem } from "../errors.js";
import { ownValue } from "../own-property.js";
import { VENDOR_IDS } from "../vendors/registry.js";
import { formatPath } from "../zod-issues.js";
import { knownKeys, withKeyHints } from "./config-hints.js";
import type { OperatorConfig } from "./operator-config.js";
import { getRepoConfigSchema, REPO_CONFIG_PATH, type RepoConfig } from "./repo-config.js";

let repoConfigKeys: Set<string> | undefined;

/**
 * Validates a `.github/pipelines.yml` document (already parsed from YAML, `_extends` applied) against the
 * schema and against the operator's connections in one pass: ConfigError lists every problem at once.
 */
export function parseRepoConfig(raw: unknown, repository: string, operator: OperatorConfig): RepoConfig {
  const schema = getRepoConfigSchema();
  const result = schema.safeParse(raw ?? {});
  repoConfigKeys ??= knownKeys(schema);
  const problems: ConfigProblem[] = result.success ? [] : withKeyHints(result.error.issues, repoConfigKeys, formatPath);
  problems.push(...connectionProblems(raw, repository, operator));
  if (problems.length > 0 || !result.success) throw new ConfigError(REPO_CONFIG_PATH, problems);
  return result.data;
}

/**
 * Pure: each pipeline's `connection` against the operator config, read from the raw document so these are
 * reported together with the schema's problems. Names are looked up as own properties only.
 */
export function connectionProblems(raw: unknown, repository: string, operator: Pick<OperatorConfig, "connections">): ConfigProblem[] {
  const pipelines = asRecord(raw)?.pipelines;
  if (!Array.isArray(pipelines)) return [];
  return pipelines.flatMap((entry, index): ConfigProblem[] => {
    const pipeline = asRecord(entry);
    const name = pipeline?.connection;
    if (!pipeline || typeof name !== "string" || name === "") return [];
    const path = `pipelines[${index}].connection`;
    const connection = ownValue(operator.connections, name);
    if (!connection) {
      const known = Object.keys(operator.connections).filter((candidate) => isRepositoryAllowed(operator.connections[candidate]!.repositories, repository));
      return [{ path, problem: `unknown connection "${name}"; this repository may use: ${known.join(", ") || "(none)"}` }];
    }
    const problems: ConfigProblem[] = [];
    if (!isRepositoryAllowed(connection.repositories, repository)) {
      problems.push({ path, problem: `connection "${name}" may not be used by ${repository}; ask the operator to add it to the connection's repositories` });
    }
    const blocks = VENDOR_IDS.filter((id) => Object.hasOwn(pipeline, id));
    if (blocks.length === 1 && connection.vendor !== blocks[0]) {
      problems.push({ path, problem: `connection "${name}" is a ${connection.vendor} connection, but the pipeline has a ${blocks[0]} block` });
    }
    return problems;
  });
}

export function isRepositoryAllowed(globs: readonly string[], repository: string): boolean {
  return picomatch.isMatch(repository.toLowerCase(), globs.map((glob) => glob.toLowerCase()));
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
