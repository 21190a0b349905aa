import { readFileSync } from "node:fs";
import nock from "nock";
import { mountOperatorRoutes } from "../../../src/operator/health.js";
import type { NodeHandler } from "../../../src/operator/http-access.js";
import { RelayMetrics, vendorErrorOutcome } from "../../../src/operator/metrics.js";
import { VendorError } from "../../../src/errors.js";
import { FakeOperatorStore, serveHandlers } from "./fake-operator-store.js";

const NOW = 1_800_000_000_000;
const METRICS_TOKEN = "metrics-token-0123456789";

async function start(env: NodeJS.ProcessEnv = {}, credentials = true) {
  const store = new FakeOperatorStore();
  const metrics = new RelayMetrics({ processMetrics: false, clock: () => NOW });
  const handlers: NodeHandler[] = [];
  mountOperatorRoutes((handler) => handlers.push(handler), { store, metrics, appCredentialsLoaded: () => credentials, env, clock: () => NOW });
  // A later handler (like the results endpoint) must still get the requests the operator routes do not answer.
  handlers.push((req, res) => (req.url === "/later" ? (res.writeHead(204).end(), true) : false));
  const server = await serveHandlers(handlers);
  return { store, metrics, server };
}

let running: Awaited<ReturnType<typeof start>> | undefined;
beforeAll(() => nock.enableNetConnect("127.0.0.1"));
afterEach(async () => {
  await running?.server.close();
  running = undefined;
});

describe("/healthz and /readyz", () => {
  it("answers /healthz while the process lives and lets other paths fall through", async () => {
    running = await start();
    const health = await fetch(`${running.server.base}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: "ok" }]);
    expect((await fetch(`${running.server.base}/later`)).status).toBe(204);
    const unknown = await fetch(`${running.server.base}/nothing-here`);
    expect([unknown.status, await unknown.text()]).toEqual([404, "fell through"]);
    expect((await fetch(`${running.server.base}/healthz`, { method: "POST" })).status).toBe(405);
  });

  it.each([
    ["everything fine", { oldestDueEventAt: NOW - 10_000, oldestDueRunAt: null }, true, false, 200, { store: { ok: true }, appCredentials: { ok: true }, backgroundWork: { ok: true, oldestDueSeconds: 10, limitSeconds: 300 } }],
    ["run work stalled", { oldestDueEventAt: null, oldestDueRunAt: NOW - 301_000 }, true, false, 503, { store: { ok: true }, appCredentials: { ok: true }, backgroundWork: { ok: false, oldestDueSeconds: 301, limitSeconds: 300 } }],
    ["no App credentials", { oldestDueEventAt: null, oldestDueRunAt: null }, false, false, 503, { store: { ok: true }, appCredentials: { ok: false }, backgroundWork: { ok: true, oldestDueSeconds: 0, limitSeconds: 300 } }],
    ["the store failing", { oldestDueEventAt: null, oldestDueRunAt: null }, true, true, 503, { store: { ok: false, detail: "the store could not be read" }, appCredentials: { ok: true }, backgroundWork: { ok: false, limitSeconds: 300 } }],
  ])("/readyz with %s", async (_name, ages, credentials, failing, status, checks) => {
    running = await start({}, credentials);
    running.store.backlogValue = { pendingEvents: 1, activeRuns: [], ...ages };
    running.store.failing = failing;
    const response = await fetch(`${running.server.base}/readyz`);
    const body = (await response.json()) as { ready: boolean; checks: unknown };
    expect([response.status, body.ready, body.checks]).toEqual([status, status === 200, checks]);
    expect(JSON.stringify(body)).not.toContain("hunter2");
  });

  it("takes the stall limit from RELAY_READY_MAX_AGE_SECONDS", async () => {
    running = await start({ RELAY_READY_MAX_AGE_SECONDS: "30" });
    running.store.backlogValue = { pendingEvents: 1, activeRuns: [], oldestDueEventAt: NOW - 31_000, oldestDueRunAt: null };
    expect((await fetch(`${running.server.base}/readyz`)).status).toBe(503);
  });
});

describe("/metrics", () => {
  it("exposes every metric with the backlog read at scrape time", async () => {
    running = await start();
    const { metrics, store, server } = running;
    store.backlogValue = {
      pendingEvents: 3,
      oldestDueEventAt: NOW - 42_000,
      oldestDueRunAt: NOW - 7_000,
      activeRuns: [{ vendor: "gitlab", state: "running", count: 2 }, { vendor: "zadig", state: "queued", count: 1 }],
    };
    metrics.webhookReceived("push", "stored");
    metrics.webhookReceived("push", "duplicate");
    metrics.vendorCall("gitlab", "trigger", "ok", 0.3);
    metrics.vendorCall("gitlab", "get_run", "retryable_error", 12);
    metrics.runFinished("gitlab", "success");
    metrics.githubWrite("check_update", "ok", 42, "4999");
    metrics.resultsUpload("junit", "accepted");

    const response = await fetch(`${server.base}/metrics`);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    for (const line of [
      'pipeline_relay_webhooks_received_total{event="push",outcome="stored"} 1',
      'pipeline_relay_webhooks_received_total{event="push",outcome="duplicate"} 1',
      "pipeline_relay_events_pending 3",
      "pipeline_relay_oldest_due_event_age_seconds 42",
      "pipeline_relay_oldest_due_run_work_age_seconds 7",
      'pipeline_relay_runs_active{vendor="gitlab",state="running"} 2',
      'pipeline_relay_runs_active{vendor="zadig",state="queued"} 1',
      "pipeline_relay_store_up 1",
      'pipeline_relay_runs_finished_total{vendor="gitlab",state="success"} 1',
      'pipeline_relay_vendor_calls_total{vendor="gitlab",operation="get_run",outcome="retryable_error"} 1',
      'pipeline_relay_vendor_call_duration_seconds_bucket{le="0.5",vendor="gitlab",operation="trigger"} 1',
      'pipeline_relay_vendor_call_duration_seconds_bucket{le="10",vendor="gitlab",operation="get_run"} 0',
      'pipeline_relay_vendor_call_duration_seconds_bucket{le="30",vendor="gitlab",operation="get_run"} 1',
      'pipeline_relay_github_writes_total{kind="check_update",outcome="ok"} 1',
      'pipeline_relay_github_rate_limit_remaining{installation="42"} 4999',
      'pipeline_relay_results_uploads_total{format="junit",outcome="accepted"} 1',
    ]) {
      expect(text.split("\n")).toContain(line);
    }
  });

  it("drops finished groups from runs_active and reports a failing store as store_up 0", async () => {
    running = await start();
    running.store.backlogValue = { pendingEvents: 0, oldestDueEventAt: null, oldestDueRunAt: null, activeRuns: [{ vendor: "gitlab", state: "running", count: 1 }] };
    await fetch(`${running.server.base}/metrics`);
    running.store.backlogValue = { ...running.store.backlogValue, activeRuns: [] };
    expect(await (await fetch(`${running.server.base}/metrics`)).text()).not.toContain("pipeline_relay_runs_active{");
    running.store.failing = true;
    expect((await (await fetch(`${running.server.base}/metrics`)).text()).split("\n")).toContain("pipeline_relay_store_up 0");
  });

  it("asks for the bearer token when RELAY_METRICS_TOKEN is set", async () => {
    running = await start({ RELAY_METRICS_TOKEN: METRICS_TOKEN });
    const url = `${running.server.base}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect([ok.status, (await ok.text()).includes("pipeline_relay_events_pending")]).toEqual([200, true]);
    // Health stays open: load balancers and orchestrators probe without credentials.
    expect((await fetch(`${running.server.base}/healthz`)).status).toBe(200);
  });

  it("times a vendor call and labels failures from VendorError's flags", async () => {
    const metrics = new RelayMetrics({ processMetrics: false });
    await expect(metrics.timeVendorCall("zadig", "cancel", async () => "done", vendorErrorOutcome)).resolves.toBe("done");
    const unauthorized = new VendorError("401", { vendor: "zadig", operation: "cancel", status: 401, retryable: false });
    await expect(metrics.timeVendorCall("zadig", "cancel", () => Promise.reject(unauthorized), vendorErrorOutcome)).rejects.toBe(unauthorized);
    const text = await metrics.render();
    expect(text).toContain('pipeline_relay_vendor_calls_total{vendor="zadig",operation="cancel",outcome="ok"} 1');
    expect(text).toContain('pipeline_relay_vendor_calls_total{vendor="zadig",operation="cancel",outcome="auth_error"} 1');
  });

  it.each([
    [{ status: 401 }, "auth_error"],
    [{ status: 403, retryable: false }, "auth_error"],
    [{ ambiguous: true, retryable: true }, "ambiguous"],
    [{ retryable: true }, "retryable_error"],
    [{ retryable: false, status: 400 }, "error"],
    [new Error("boom"), "error"],
  ])("vendorErrorOutcome(%j) is %s", (error, outcome) => {
    expect(vendorErrorOutcome(error)).toBe(outcome);
  });
});

describe("the JSON Schema route", () => {
  it("serves the same schema as schema/pipelines.schema.json, without a token", async () => {
    running = await start({ RELAY_METRICS_TOKEN: METRICS_TOKEN });
    const response = await fetch(`${running.server.base}/pipeline-relay/pipelines.schema.json`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(readFileSync("schema/pipelines.schema.json", "utf8"));
  });
});
