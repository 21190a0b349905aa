import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { chromium, type Browser } from "playwright-core";
import { mountOperatorRoutes } from "../../src/operator/health.js";
import type { NodeHandler } from "../../src/operator/http-access.js";
import { RelayMetrics } from "../../src/operator/metrics.js";
import { FakeOperatorStore, run, serveHandlers } from "../unit/operator/fake-operator-store.js";

/**
 * The runs page in a real headless browser (Debian's chromium driven by playwright-core). .ci/run installs
 * chromium when it is missing; plain `npm test` skips this file with a message when it cannot find one.
 * UPDATE_SCREENSHOTS=1 rewrites docs/runs-page.png.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available) console.warn(`browser test skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH); .ci/run installs it`);
const describeInBrowser = available ? describe : describe.skip;

const TOKEN = "dashboard-token-0123456789abcdef";
const NOW = Date.UTC(2026, 11, 1, 18, 30);
const min = 60_000;

function sampleRuns() {
  return [
    run({ id: 41, owner: "acme", repo: "widgets", pipeline: "build", sha: "9f2c4e1aa0b7c3d5e6f708192a3b4c5d6e7f8091", ref: "feature/login", prNumber: 128, state: "running", vendorStatus: "running", finishedAt: null, createdAt: NOW - 4 * min, startedAt: NOW - 3 * min, webUrl: "https://gitlab.example.com/acme/widgets/-/pipelines/5121" }),
    run({ id: 40, owner: "acme", repo: "widgets", pipeline: "test", sha: "9f2c4e1aa0b7c3d5e6f708192a3b4c5d6e7f8091", ref: "feature/login", prNumber: 128, state: "failure", vendorStatus: "failed", createdAt: NOW - 12 * min, startedAt: NOW - 11 * min, finishedAt: NOW - 4 * min, note: "2 of 318 tests failed (99.4 %, threshold 100 %): LoginForm rejects an empty password", webUrl: "https://gitlab.example.com/acme/widgets/-/pipelines/5119" }),
    run({ id: 39, owner: "acme", repo: "api", pipeline: "deploy-staging", vendor: "zadig", connection: "corp-zadig", sha: "41d7be09c2aa51f3e8d0b6c7a9e1f2d3c4b5a697", ref: "main", state: "success", vendorStatus: "passed", createdAt: NOW - 40 * min, startedAt: NOW - 39 * min, finishedAt: NOW - 27 * min, webUrl: "https://zadig.example.com/v1/projects/detail/api/pipelines/custom/deploy/1042" }),
    run({ id: 38, owner: "acme", repo: "api", pipeline: "build", vendor: "yunxiao", connection: "flow-central", sha: "41d7be09c2aa51f3e8d0b6c7a9e1f2d3c4b5a697", ref: "main", state: "waiting", vendorStatus: null, createdAt: NOW - 41 * min, startedAt: null, finishedAt: null, webUrl: null, note: "waits for a free slot (concurrency 1)" }),
    run({ id: 37, owner: "acme", repo: "mobile", pipeline: "ios", vendor: "codearts", connection: "codearts-cn", sha: "c0ffee11d15ea5e0ba5eba11deadbeef00c0ffee", ref: "release/2.4", attempt: 2, state: "timed_out", vendorStatus: "RUNNING", createdAt: NOW - 190 * min, startedAt: NOW - 189 * min, finishedAt: NOW - 129 * min, note: "no result after 60 minutes", webUrl: "https://devcloud.cn-north-4.huaweicloud.com/cicd/project/abc/pipeline/detail/def" }),
    run({ id: 36, owner: "acme", repo: "widgets", pipeline: "build", sha: "77aa00bb11cc22dd33ee44ff5566778899aabbcc", ref: "main", state: "cancelled", vendorStatus: "canceled", createdAt: NOW - 300 * min, startedAt: NOW - 299 * min, finishedAt: NOW - 297 * min, cancelReason: "Superseded by a newer commit", webUrl: "https://gitlab.example.com/acme/widgets/-/pipelines/5090" }),
  ];
}

let browser: Browser | undefined;
let server: Awaited<ReturnType<typeof serveHandlers>> | undefined;

describeInBrowser("runs page in a browser", () => {
  beforeAll(async () => {
    nock.enableNetConnect("127.0.0.1");
    const store = new FakeOperatorStore();
    store.runs = sampleRuns();
    store.backlogValue = {
      pendingEvents: 3,
      oldestDueEventAt: NOW - 4_000,
      oldestDueRunAt: NOW - 2_000,
      activeRuns: [{ vendor: "gitlab", state: "running", count: 1 }, { vendor: "yunxiao", state: "waiting", count: 1 }],
    };
    const handlers: NodeHandler[] = [];
    mountOperatorRoutes((handler) => handlers.push(handler), {
      store,
      metrics: new RelayMetrics({ processMetrics: false }),
      appCredentialsLoaded: () => true,
      env: { RELAY_DASHBOARD_TOKEN: TOKEN },
      clock: () => NOW,
    });
    server = await serveHandlers(handlers);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("opens with ?token=, drops the token from the address, filters, and looks right", async () => {
    const page = await browser!.newPage({ viewport: { width: 1360, height: 760 } });
    await page.goto(`${server!.base}/pipeline-relay/runs?token=${TOKEN}`);
    expect(new URL(page.url()).search).toBe("");
    expect(await page.title()).toBe("pipeline-relay · recent runs");
    expect(await page.locator("[data-testid=engine-status] b").textContent()).toBe("healthy");
    expect(await page.locator("tbody tr").count()).toBe(6);
    expect(await page.locator("tr[data-run-id='40'] .note").textContent()).toContain("LoginForm rejects an empty password");
    expect(await page.locator("tr[data-run-id='39'] td:nth-child(6)").textContent()).toBe("12 min");

    const screenshot = process.env.UPDATE_SCREENSHOTS === "1" ? "docs/runs-page.png" : join(mkdtempSync(join(tmpdir(), "runs-page-")), "runs-page.png");
    const png = await page.screenshot({ path: screenshot, fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe("PNG");

    await page.selectOption("select[name=state]", "failure");
    await page.click("button[type=submit]");
    await page.waitForURL(/state=failure/);
    expect(await page.locator("tbody tr").count()).toBe(1);
    expect(await page.locator("tbody tr").getAttribute("data-run-id")).toBe("40");

    await page.click("a:text('clear')");
    await page.click("tr[data-run-id='39'] td:first-child a");
    await page.waitForURL(/repo=acme%2Fapi/);
    expect(await page.locator("tbody tr").count()).toBe(2);
    await page.close();
  });

  it("shows nothing without the token", async () => {
    const page = await browser!.newPage();
    const response = await page.goto(`${server!.base}/pipeline-relay/runs`);
    expect(response?.status()).toBe(401);
    expect(await page.locator("table").count()).toBe(0);
    await page.close();
  });
});
