import type { ApplicationFunction } from "probot";
import { createRelayApp } from "./app.js";
import { loadOperatorConfig } from "./config/operator-config.js";
import { SqliteStore } from "./storage/sqlite-store.js";

/**
 * The entry point for `probot run`: operator config from RELAY_CONFIG (default relay.yml),
 * the run store at RELAY_DATABASE (default ./data/relay.sqlite). A bad config stops start-up here.
 */
const app: ApplicationFunction = (probot, options) => {
  const operator = loadOperatorConfig(process.env.RELAY_CONFIG ?? "relay.yml");
  const store = new SqliteStore(process.env.RELAY_DATABASE ?? "./data/relay.sqlite");
  return createRelayApp({ operator, store }, (relay) => {
    const shutdown = () => {
      relay.stop();
      store.close();
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
    probot.log.info({ connections: Object.keys(operator.connections) }, "pipeline-relay started");
  })(probot, options);
};

export default app;
