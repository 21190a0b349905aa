import type { Logger } from "probot";
import { listeningServers, serverOwned } from "../server-handles.js";
import { createWebhookGuard, GITHUB_WEBHOOK_MAX_BYTES, installWebhookGuard } from "./webhook-guard.js";
import { createWebhookFastPath } from "./webhook-fast-path.js";
import { webhookIntakeOf } from "./webhook-intake.js";

const guarded = new WeakSet<object>();
/** Probot starts listening right after it loaded the app; look for its server this long. */
const LOOK_FOR_MS = 30_000;
const EVERY_MS = 20;

/**
 * Under `probot run` (which never hands the app its http.Server) the webhook guard is put in front of Probot's
 * server as soon as it listens: 413 above GitHub's 25 MB cap without buffering the body, and the webhook fast path
 * (webhook-fast-path.ts). `npm start` (src/bin/serve.ts) installs the guard itself, so this does nothing there.
 */
export function guardProbotRunServer(probot: object, log: Logger, env: NodeJS.ProcessEnv = process.env): void {
  const webhookPath = env.WEBHOOK_PATH ?? "/api/github/webhooks";
  // The same fast path as `npm start` when `probot run` verifies with WEBHOOK_SECRET (it always needs one).
  const fastPath = env.WEBHOOK_SECRET ? createWebhookFastPath({ secret: env.WEBHOOK_SECRET, intake: () => webhookIntakeOf(probot), log }) : undefined;
  if (serverOwned()) return;
  const started = Date.now();
  const timer = setInterval(() => {
    for (const server of listeningServers()) {
      if (guarded.has(server)) continue;
      guarded.add(server);
      installWebhookGuard(server, createWebhookGuard({ paths: [webhookPath], maxBytes: GITHUB_WEBHOOK_MAX_BYTES, log, ...(fastPath ? { fastPath } : {}) }), log);
      log.debug("webhook guard installed in front of Probot's server");
      clearInterval(timer);
    }
    if (Date.now() - started > LOOK_FOR_MS) clearInterval(timer);
  }, EVERY_MS);
  timer.unref();
}
