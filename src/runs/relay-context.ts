import type { Logger } from "probot";
import type { OperatorConfig } from "../config/operator-config.js";
import type { RepoConfigCache } from "../github/config-cache.js";
import type { GitHubClientFactory } from "../github/octokit.js";
import type { RelayStore } from "../storage/types.js";
import type { RelayMetrics } from "../operator/metrics.js";
import type { AdapterPool } from "./adapter-pool.js";

/** Everything the worker, the run service and the tracker share; built once in app.ts, injected in tests. */
export interface RelayContext {
  operator: OperatorConfig;
  store: RelayStore;
  adapters: AdapterPool;
  github: GitHubClientFactory;
  clock: () => number;
  log: Logger;
  repoConfigs: RepoConfigCache;
  metrics: RelayMetrics;
}
