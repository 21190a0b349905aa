import { createHmac, generateKeyPairSync } from "node:crypto";
import pino from "pino";
import { parse as parseYaml } from "yaml";
import { createRelayApp, type Relay } from "../../src/app.js";
import { parseOperatorConfig } from "../../src/config/operator-config.js";
import { startGuardedServer, type GuardedServer } from "../../src/github/guarded-server.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { freePort } from "./free-port.js";

/** The app on a real HTTP port (Probot's server behind the webhook guard), for callbacks sent as real requests. */
export const WEBHOOK_SECRET = "github-webhook-secret";
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

export interface ListeningRelay {
  relay: Relay;
  store: SqliteStore;
  started: GuardedServer;
  port: number;
  logs: string[];
  clock: { now: number };
  close(): Promise<void>;
}

export async function startListeningRelay(operatorYaml: string, env: Record<string, string>): Promise<ListeningRelay> {
  const logs: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  const operator = parseOperatorConfig(parseYaml(operatorYaml), "relay.yml", env);
  operator.tracker.config_cache_seconds = 0;
  const store = new SqliteStore(":memory:");
  const clock = { now: Date.parse("2026-11-23T10:00:00Z") };
  let relay: Relay | undefined;
  const port = await freePort();
  const appEnv = { APP_ID: "42", PRIVATE_KEY: privateKey, WEBHOOK_SECRET, PORT: String(port), HOST: "127.0.0.1" };
  const app = createRelayApp({ operator, store, clock: () => clock.now, autoStart: false, httpRetry: { limit: 0, maxRetryAfterMs: 5, delayMs: () => 1 } }, (ready) => (relay = ready));
  const started = await startGuardedServer(app, appEnv, { log });
  return {
    relay: relay!,
    store,
    started,
    port,
    logs,
    clock,
    async close() {
      started.httpServer.closeAllConnections();
      await started.server.stop();
      await store.close();
    },
  };
}

export function post(port: number, path: string, body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

/** A GitHub webhook delivery signed with WEBHOOK_SECRET. */
export function deliverWebhook(port: number, name: string, payload: unknown, id: string): Promise<Response> {
  const body = JSON.stringify(payload);
  return post(port, "/api/github/webhooks", body, {
    "x-github-event": name,
    "x-github-delivery": id,
    "x-hub-signature-256": `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`,
  });
}
