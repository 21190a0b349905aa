import type { ApplicationFunction } from "probot";
import { createRelayApp } from "./app.js";
import { loadOperatorConfig, type OperatorConfig } from "./config/operator-config.js";
import { OperatorConfigError } from "./errors.js";
import { SqliteStore } from "./storage/sqlite-store.js";

/**
 * The entry point for `probot run`: operator config from RELAY_CONFIG (default relay.yml),
 * the run store at RELAY_DATABASE (default ./data/relay.sqlite). A bad config stops start-up here.
 */
const app: ApplicationFunction = (probot, options) => {
  let operator: OperatorConfig;
  try {
    operator = loadOperatorConfig(process.env.RELAY_CONFIG ?? "relay.yml");
  } catch (error) {
    if (!(error instanceof OperatorConfigError)) throw error;
    // One line the operator can act on, not a stack trace.
    probot.log.fatal(`pipeline-relay cannot start: ${error.message}`);
    process.exit(1);
  }
  const store = new SqliteStore(process.env.RELAY_DATABASE ?? "./data/relay.sqlite");
  return createRelayApp({ operator, store }, (relay) => {
    // Finish the current round, close the store, then exit: what was not done is stored and resumes on start.
    const shutdown = (signal: string) => {
      probot.log.info(`${signal}: stopping after the current round`);
      void relay.stop().finally(() => {
        store.close();
        process.exit(0);
      });
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
    probot.log.info({ connections: Object.keys(operator.connections) }, "pipeline-relay started");
  })(probot, options);
};

export default app;
