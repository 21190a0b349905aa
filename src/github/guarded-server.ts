import { readFileSync } from "node:fs";
import type { Server as HttpServer } from "node:http";
import pino, { type Logger } from "pino";
import { Probot, Server, type ApplicationFunction } from "probot";
import { z } from "zod";
import { CREDENTIAL_HEADER_REDACTION } from "./access-log-redaction.js";
import { createWebhookGuard, GITHUB_WEBHOOK_MAX_BYTES, installWebhookGuard, keepPayloadsOutOfLogs } from "./webhook-guard.js";
import { createWebhookFastPath } from "./webhook-fast-path.js";
import { webhookIntakeOf } from "./webhook-intake.js";

/**
 * What `probot run` reads from the environment for a configured app (probot lib/bin/read-env-options.js),
 * parsed here because the guard must own the http.Server, which `probot run` never hands out.
 */
const serverEnvSchema = z.object({
  APP_ID: z.coerce.number().int().positive(),
  PRIVATE_KEY: z.string().optional(),
  PRIVATE_KEY_PATH: z.string().optional(),
  WEBHOOK_SECRET: z.string().min(1),
  WEBHOOK_PATH: z.string().startsWith("/").default("/api/github/webhooks"),
  WEBHOOK_PROXY_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().optional(),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  REDIS_URL: z.string().optional(),
  GHE_HOST: z.string().optional(),
  GHE_PROTOCOL: z.enum(["http", "https"]).default("https"),
});

export interface GuardedServer {
  server: Server;
  /** Close this first on SIGTERM so no new webhook is acked. */
  httpServer: HttpServer;
  log: Logger;
}

/**
 * Starts Probot's Server as `probot run` does for a configured app, with the webhook guard in front of Probot's
 * own request handling (413 over GitHub's cap, before the body is read) and webhook payloads kept out of the
 * log. Logs are JSON lines (LOG_FORMAT=pretty is not offered: its transform is Probot-internal).
 */
export async function startGuardedServer(
  appFn: ApplicationFunction,
  env: NodeJS.ProcessEnv = process.env,
  options: { log?: Logger; maxWebhookBytes?: number } = {},
): Promise<GuardedServer> {
  const settings = serverEnvSchema.parse(env);
  // The access log prints request headers: credentials in them are redacted (see access-log-redaction.ts).
  const log = (options.log ?? pino({ level: settings.LOG_LEVEL, name: "probot" })).child({}, { redact: CREDENTIAL_HEADER_REDACTION });
  keepPayloadsOutOfLogs(log);
  const probotOptions = {
    appId: settings.APP_ID,
    privateKey: privateKeyFrom(settings),
    secret: settings.WEBHOOK_SECRET,
    log,
    ...(settings.REDIS_URL ? { redisConfig: settings.REDIS_URL } : {}),
    baseUrl: settings.GHE_HOST ? `${settings.GHE_PROTOCOL}://${settings.GHE_HOST}/api/v3` : "https://api.github.com",
  };
  const server = new Server({
    Probot: Probot.defaults(probotOptions),
    log,
    port: settings.PORT,
    ...(settings.HOST ? { host: settings.HOST } : {}),
    webhookPath: settings.WEBHOOK_PATH,
    ...(settings.WEBHOOK_PROXY_URL ? { webhookProxy: settings.WEBHOOK_PROXY_URL } : {}),
  });
  let probot: object | undefined;
  await server.load((app, appOptions) => {
    probot = app;
    return appFn(app, appOptions);
  });
  const httpServer = await server.start();
  // start() resolves in the `listening` callback, before any connection can be read: nothing slips past.
  const fastPath = createWebhookFastPath({ secret: settings.WEBHOOK_SECRET, intake: () => webhookIntakeOf(probot), log });
  installWebhookGuard(httpServer, createWebhookGuard({ paths: [settings.WEBHOOK_PATH], maxBytes: options.maxWebhookBytes ?? GITHUB_WEBHOOK_MAX_BYTES, log, fastPath }), log);
  return { server, httpServer, log };
}

/** PRIVATE_KEY (PEM, PEM with escaped newlines, or base64 of a PEM) or the file at PRIVATE_KEY_PATH. */
export function privateKeyFrom(settings: { PRIVATE_KEY?: string | undefined; PRIVATE_KEY_PATH?: string | undefined }): string {
  if (settings.PRIVATE_KEY) {
    const raw = settings.PRIVATE_KEY.trim();
    const pem = raw.startsWith("-----BEGIN") ? raw : Buffer.from(raw, "base64").toString("utf8");
    if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) throw new Error("PRIVATE_KEY is neither a PEM private key nor the base64 of one");
    return pem.replace(/\\n/g, "\n").trim();
  }
  if (settings.PRIVATE_KEY_PATH) return readFileSync(settings.PRIVATE_KEY_PATH, "utf8");
  throw new Error("set PRIVATE_KEY or PRIVATE_KEY_PATH to the GitHub App's private key");
}
