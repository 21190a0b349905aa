import type { IncomingMessage, ServerResponse } from "node:http";
import { renderSchemaFile, SCHEMA_ROUTE } from "../config/json-schema.js";
import { bearerToken, requestUrl, send, sendJson, tokenEquals, type NodeHandler } from "./http-access.js";
import { ageSeconds, type RelayMetrics } from "./metrics.js";
import { createRunsPageHandler } from "./runs-page.js";
import { maxDueAgeSeconds, type BacklogSource, type RecentRunsSource } from "./types.js";

export const HEALTH_PATH = "/healthz";
export const READY_PATH = "/readyz";
export const METRICS_PATH = "/metrics";

/** A store that does not answer within this is not ready. */
const STORE_TIMEOUT_MS = 2000;

export interface OperatorRouteDeps {
  store: BacklogSource & Partial<RecentRunsSource>;
  metrics: RelayMetrics;
  /** True when the App's id and private key were loaded (Probot only loads the app then, so usually `() => true`). */
  appCredentialsLoaded: () => boolean;
  /** RELAY_METRICS_TOKEN, RELAY_DASHBOARD_TOKEN, RELAY_READY_MAX_AGE_SECONDS. */
  env: NodeJS.ProcessEnv;
  clock?: () => number;
}

export interface ReadinessReport {
  ready: boolean;
  checks: {
    store: { ok: boolean; detail?: string };
    appCredentials: { ok: boolean };
    backgroundWork: { ok: boolean; oldestDueSeconds?: number; limitSeconds: number };
  };
}

/**
 * Mounts /healthz, /readyz, /metrics, the JSON Schema of .github/pipelines.yml and the runs page on Probot's server:
 * `mountOperatorRoutes((handler) => options.addHandler(handler), deps)`. Each handler answers only its own
 * path and returns false otherwise, so Probot passes the request on to the next handler.
 */
export function mountOperatorRoutes(addHandler: (handler: NodeHandler) => void, deps: OperatorRouteDeps): void {
  deps.metrics.observeBacklog(deps.store);
  addHandler(createHealthHandler(deps));
  if (deps.store.recentRuns) {
    addHandler(createRunsPageHandler({ store: deps.store as BacklogSource & RecentRunsSource, env: deps.env, clock: deps.clock }));
  }
}

export function createHealthHandler(deps: OperatorRouteDeps): NodeHandler {
  const clock = deps.clock ?? Date.now;
  let schemaText: string | undefined;
  return async (req, res) => {
    const path = requestUrl(req).pathname;
    if (path !== HEALTH_PATH && path !== READY_PATH && path !== METRICS_PATH && path !== SCHEMA_ROUTE) return false;
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain; charset=utf-8", "use GET\n", { allow: "GET, HEAD" });
    if (path === HEALTH_PATH) return sendJson(res, 200, { status: "ok" });
    if (path === SCHEMA_ROUTE) return send(res, 200, "application/schema+json", (schemaText ??= renderSchemaFile()));
    if (path === READY_PATH) {
      const report = await readiness(deps, clock());
      return sendJson(res, report.ready ? 200 : 503, report);
    }
    return serveMetrics(req, res, deps);
  };
}

async function serveMetrics(req: IncomingMessage, res: ServerResponse, deps: OperatorRouteDeps): Promise<true> {
  const expected = deps.env.RELAY_METRICS_TOKEN;
  if (expected && !tokenEquals(bearerToken(req), expected)) {
    return send(res, 401, "text/plain; charset=utf-8", "metrics need Authorization: Bearer $RELAY_METRICS_TOKEN\n", {
      "www-authenticate": 'Bearer realm="pipeline-relay metrics"',
    });
  }
  return send(res, 200, deps.metrics.contentType, await deps.metrics.render());
}

export async function readiness(deps: Pick<OperatorRouteDeps, "store" | "appCredentialsLoaded" | "env">, now: number): Promise<ReadinessReport> {
  const limitSeconds = maxDueAgeSeconds(deps.env);
  const appCredentials = { ok: deps.appCredentialsLoaded() };
  try {
    const backlog = await withTimeout(deps.store.backlog(now), STORE_TIMEOUT_MS);
    const oldestDueSeconds = Math.max(ageSeconds(backlog.oldestDueEventAt, now), ageSeconds(backlog.oldestDueRunAt, now));
    const backgroundWork = { ok: oldestDueSeconds <= limitSeconds, oldestDueSeconds, limitSeconds };
    return { ready: appCredentials.ok && backgroundWork.ok, checks: { store: { ok: true }, appCredentials, backgroundWork } };
  } catch (error) {
    // The reason without details: a connection string may carry a password.
    const detail = error instanceof StoreTimeout ? `no answer within ${STORE_TIMEOUT_MS} ms` : "the store could not be read";
    return { ready: false, checks: { store: { ok: false, detail }, appCredentials, backgroundWork: { ok: false, limitSeconds } } };
  }
}

class StoreTimeout extends Error {}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreTimeout()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
