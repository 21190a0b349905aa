import nock from "nock";
import { createRunsPageHandler, parseRunsQuery } from "../../../src/operator/runs-page.js";
import { escapeHtml, filterHref, formatAge, formatDuration, renderRunsPage, safeHref } from "../../../src/operator/runs-page-render.js";
import { FakeOperatorStore, run, serveHandlers } from "./fake-operator-store.js";

const TOKEN = "dashboard-token-0123456789abcdef";
const NOW = 1_700_000_600_000;

async function start(env: NodeJS.ProcessEnv = { RELAY_DASHBOARD_TOKEN: TOKEN }) {
  const store = new FakeOperatorStore();
  const server = await serveHandlers([createRunsPageHandler({ store, env, clock: () => NOW })]);
  return { store, server, url: `${server.base}/pipeline-relay/runs` };
}

let running: Awaited<ReturnType<typeof start>> | undefined;
beforeAll(() => nock.enableNetConnect("127.0.0.1"));
afterEach(async () => {
  await running?.server.close();
  running = undefined;
});
const auth = { authorization: `Bearer ${TOKEN}` };

describe("runs page access", () => {
  it("is disabled (404) without RELAY_DASHBOARD_TOKEN", async () => {
    running = await start({});
    expect((await fetch(running.url, { headers: auth })).status).toBe(404);
  });

  it("refuses a missing or wrong token", async () => {
    running = await start();
    expect((await fetch(running.url)).status).toBe(401);
    expect((await fetch(running.url, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    expect((await fetch(`${running.url}?token=nope`, { redirect: "manual" })).status).toBe(401);
    expect((await fetch(running.url, { headers: { cookie: "relay_dashboard=nope" } })).status).toBe(401);
    expect(running.store.recentCalls).toEqual([]);
  });

  it("exchanges ?token= for an HttpOnly cookie and a URL without the token", async () => {
    running = await start();
    const response = await fetch(`${running.url}?repo=acme/widgets&token=${TOKEN}`, { redirect: "manual" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/pipeline-relay/runs?repo=acme%2Fwidgets");
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^relay_dashboard=[^;]+; Path=\/pipeline-relay\/runs; HttpOnly; SameSite=Strict$/);
    const page = await fetch(`${running.server.base}${response.headers.get("location")}`, { headers: { cookie: cookie.split(";")[0]! } });
    expect(page.status).toBe(200);
  });

  it("lets other paths fall through and answers only GET", async () => {
    running = await start();
    expect(await (await fetch(`${running.server.base}/pipeline-relay/runsx`, { headers: auth })).text()).toBe("fell through");
    expect((await fetch(running.url, { method: "POST", headers: auth })).status).toBe(405);
  });
});

describe("runs page content", () => {
  it("shows runs, engine health, and passes the filters to the store", async () => {
    running = await start();
    running.store.backlogValue = { pendingEvents: 2, oldestDueEventAt: NOW - 5_000, oldestDueRunAt: null, activeRuns: [{ vendor: "gitlab", state: "running", count: 1 }] };
    running.store.runs = [
      run({ id: 1, state: "failure", note: "job `test` failed" }),
      run({ id: 2, pipeline: "deploy", state: "running", finishedAt: null, createdAt: NOW - 60_000, startedAt: NOW - 30_000 }),
    ];
    const response = await fetch(`${running.url}?repo=acme/widgets&state=failure&limit=20`, { headers: auth });
    const html = await response.text();
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(running.store.recentCalls).toEqual([{ limit: 20, filter: { owner: "acme", repo: "widgets", states: ["failure"] } }]);
    expect(html).toContain('data-run-id="1"');
    expect(html).not.toContain('data-run-id="2"');
    expect(html).toContain("job `test` failed");
    expect(html).toContain("<td>2 min</td>"); // started 5 s after creation, finished 2 min later
    expect(html).toContain('href="https://gitlab.example.com/acme/widgets/-/pipelines/1"');
    expect(html).toContain('href="https://github.com/acme/widgets/commit/0123456789abcdef0123456789abcdef01234567"');
    expect(html).toMatch(/<b>2<\/b><span>pending events<\/span>/);
    expect(html).toContain(">healthy<");
  });

  it("lists a repository's flakiest tests when filtered to it, escaped, and asks nothing without a repository", async () => {
    running = await start();
    running.store.flaky = [
      { pipeline: "build", suite: "api", name: "creates <b>a</b> user", commits: 3, lastSeenAt: NOW - 120_000 },
      { pipeline: "build", suite: "ui", name: "renders the menu", commits: 1, lastSeenAt: NOW - 3_600_000 },
    ];
    const html = await (await fetch(`${running.url}?repo=acme/widgets`, { headers: auth })).text();
    expect(running.store.flakyCalls).toEqual([{ owner: "acme", repo: "widgets", limit: 10 }]);
    expect(html).toContain("Flakiest tests of acme/widgets");
    expect(html).toContain("<td>creates &lt;b&gt;a&lt;/b&gt; user</td><td>3</td><td");
    expect(html).toContain("2 min ago");
    expect(html.indexOf("creates &lt;b&gt;a")).toBeLessThan(html.indexOf("renders the menu"));

    const all = await (await fetch(running.url, { headers: auth })).text();
    expect(running.store.flakyCalls).toHaveLength(1);
    expect(all).not.toContain('data-testid="flaky-tests"');
  });

  it("says so when a repository has no flaky test", async () => {
    running = await start();
    const html = await (await fetch(`${running.url}?repo=acme/widgets`, { headers: auth })).text();
    expect(html).toContain("No test has been flaky here yet.");
  });

  it("escapes everything a repository or vendor controls", async () => {
    running = await start();
    running.store.runs = [
      run({ id: 3, pipeline: "<script>alert(1)</script>", ref: '"><img src=x onerror=alert(1)>', note: "<b>bold</b> & more", webUrl: "javascript:alert(1)" }),
    ];
    const html = await (await fetch(running.url, { headers: auth })).text();
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("javascript:");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt; &amp; more");
  });

  it("says so when the store cannot be read, and when nothing matches", () => {
    const html = renderRunsPage({ runs: [], backlog: undefined, query: { limit: 100 }, now: NOW, stalledAfterSeconds: 300, githubWebUrl: "https://github.com" });
    expect(html).toContain("store unreachable");
    expect(html).toContain("No runs match these filters.");
  });

  it("marks the engine stalled when due work is older than the limit", () => {
    const backlog = { pendingEvents: 9, oldestDueEventAt: NOW - 400_000, oldestDueRunAt: null, activeRuns: [] };
    const html = renderRunsPage({ runs: [], backlog, query: { limit: 100 }, now: NOW, stalledAfterSeconds: 300, githubWebUrl: "https://github.com" });
    expect(html).toContain(">stalled<");
    expect(html).toContain("due work is older than 5 min");
  });
});

describe("runs page helpers", () => {
  it.each([
    ["repo=acme/widgets&pipeline=build&state=running&sha=abc1234&limit=50", { repo: "acme/widgets", pipeline: "build", state: "running", sha: "abc1234", limit: 50 }],
    ["repo=not a repo&pipeline=<x>&state=exploded&sha=zz&limit=-1", { repo: undefined, pipeline: undefined, state: undefined, sha: undefined, limit: 100 }],
    ["limit=100000", { repo: undefined, pipeline: undefined, state: undefined, sha: undefined, limit: 500 }],
  ])("parses %s", (search, query) => {
    expect(parseRunsQuery(new URLSearchParams(search))).toEqual(query);
  });

  it.each([
    [0, "0 s"],
    [59_400, "59 s"],
    [61_000, "1 min 1 s"],
    [120_000, "2 min"],
    [3_900_000, "1 h 5 min"],
  ])("formats %i ms as %s", (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([
    [4_000, "4 s ago"],
    [185_000, "3 min ago"],
    [11_340_000, "3 h 9 min ago"],
  ])("formats an age of %i ms as %s", (ms, text) => expect(formatAge(ms)).toBe(text));

  it("keeps only http(s) links and escapes quotes", () => {
    expect([safeHref("https://x.test/a?b=1"), safeHref("javascript:alert(1)"), safeHref("not a url"), safeHref(null)]).toEqual(["https://x.test/a?b=1", undefined, undefined, undefined]);
    expect(escapeHtml(`"'<>&`)).toBe("&quot;&#39;&lt;&gt;&amp;");
  });

  it("builds filter links that keep the other filters", () => {
    expect(filterHref({ repo: "acme/w", state: "failure", limit: 100 }, { pipeline: "build" })).toBe("?repo=acme%2Fw&pipeline=build&state=failure");
    expect(filterHref({ limit: 20 }, {})).toBe("?limit=20");
  });
});
