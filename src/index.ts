import type { ApplicationFunction } from "probot";
import { createRelayApp } from "./app.js";
import { loadOperatorConfig, type OperatorConfig } from "./config/operator-config.js";
import { errorMessage, OperatorConfigError } from "./errors.js";
import { createInstallationClientFactory } from "./github/installation-client.js";
import { guardProbotRunServer } from "./github/probot-run-guard.js";
import { keepPayloadsOutOfLogs } from "./github/webhook-guard.js";
import { instrumentGitHubClient } from "./operator/github-metrics.js";
import { RelayMetrics } from "./operator/metrics.js";
import { onShutdown } from "./shutdown.js";
import { openStore } from "./storage/open-store.js";
import type { RelayStore } from "./storage/types.js";

/**
 * The entry point for `probot run` (and src/bin/serve.ts): operator config from RELAY_CONFIG (default relay.yml),
 * the store from RELAY_DATABASE (a SQLite file path, default ./data/relay.sqlite, or a postgres:// URL).
 * A bad config or an unreachable store stops start-up here with one line.
 */
const app: ApplicationFunction = async (probot, options) => {
  // Webhook bodies (a bad signature's included) never reach the log.
  keepPayloadsOutOfLogs(probot.log);
  guardProbotRunServer(probot, probot.log);
  let operator: OperatorConfig;
  let store: RelayStore;
  try {
    operator = loadOperatorConfig(process.env.RELAY_CONFIG ?? "relay.yml");
    store = await openStore(process.env.RELAY_DATABASE, {
      poolSize: poolSize(process.env.RELAY_DATABASE_POOL_SIZE),
      warn: (message) => probot.log.warn(message),
    });
  } catch (error) {
    const what = error instanceof OperatorConfigError ? error.message : `the store (RELAY_DATABASE) could not be opened: ${errorMessage(error)}`;
    // One line the operator can act on, not a stack trace.
    probot.log.fatal(`pipeline-relay cannot start: ${what}`);
    process.exit(1);
  }
  const metrics = new RelayMetrics();
  const github = createInstallationClientFactory(probot, operator.github, (client, installationId) => instrumentGitHubClient(client.hook, metrics, installationId));
  await createRelayApp({ operator, store, github, metrics }, (relay) => {
    const deadlineMs = operator.engine.shutdown_seconds * 1000;
    onShutdown(
      async () => {
        await relay.stop();
        await store.close();
      },
      { hardLimitMs: deadlineMs + 3_000, log: (message) => probot.log.info(message) },
    );
    probot.log.info({ connections: Object.keys(operator.connections), store: store.constructor.name }, "pipeline-relay started");
  })(probot, options);
};

function poolSize(value: string | undefined): number | undefined {
  const size = Number(value);
  return value && Number.isInteger(size) && size > 0 ? size : undefined;
}

export default app;
