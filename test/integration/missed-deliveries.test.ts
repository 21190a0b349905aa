import nock from "nock";
import { ProbotOctokit } from "probot";
import pino from "pino";
import { parseOperatorConfig } from "../../src/config/operator-config.js";
import { DeliveryReconciler, REDELIVERY_WINDOW_MS } from "../../src/engine/delivery-reconciler.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { githubApi } from "../helpers/github-api.js";
import { gitlabApi } from "../helpers/gitlab-api.js";
import { configFixture } from "../helpers/fixtures.js";
import { createTestRelay } from "../helpers/relay.js";
import { pushPayload } from "../helpers/webhooks.js";
import { startFakeGitHub, type FakeDelivery, type FakeGitHub } from "../e2e/fakes/fake-github.js";

const MINUTE = 60_000;
const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

/** A delivery attempt as GitHub's "List deliveries for an app webhook" documents it. */
function listed(now: number, id: number, guid: string, minutesAgo: number, statusCode: number, extra: Partial<FakeDelivery> = {}): FakeDelivery {
  return {
    id,
    guid,
    delivered_at: new Date(now - minutesAgo * MINUTE).toISOString(),
    redelivery: false,
    duration: 0.27,
    status: statusCode >= 200 && statusCode < 300 ? "OK" : statusCode === 0 ? "timed out" : `Invalid HTTP Response: ${statusCode}`,
    status_code: statusCode,
    event: "push",
    action: null,
    installation_id: 1,
    repository_id: 1296269,
    ...extra,
  };
}

describe("missed deliveries: the reconciler asks GitHub to redeliver what the store never got", () => {
  it("after an outage, redelivers the failed deliveries of the last hours, page after page, and nothing else", async () => {
    const t = await createTestRelay();
    const now = t.now();
    // Before the outage and after it, deliveries arrived and were stored.
    githubApi().hasNoConfig();
    await t.receive("push", pushPayload(), "before-outage");
    githubApi().hasNoConfig();
    await t.receive("push", pushPayload(), "after-recovery");

    const github = nock("https://api.github.com");
    github
      .get("/app/hook/deliveries")
      .query({ per_page: "100" })
      .reply(
        200,
        [
          listed(now, 206, "after-recovery", 1, 200),
          listed(now, 205, "during-outage-2", 20, 502),
          listed(now, 204, "comment-edited", 25, 502, { event: "issue_comment", action: "edited" }),
        ],
        { link: '<https://api.github.com/app/hook/deliveries?per_page=100&cursor=v1_205>; rel="next"' },
      );
    github
      .get("/app/hook/deliveries")
      .query({ per_page: "100", cursor: "v1_205" })
      .reply(
        200,
        [listed(now, 203, "during-outage-1", 40, 0), listed(now, 202, "before-outage", 70, 200), listed(now, 201, "long-ago", 7 * 60, 500)],
        // Older than the look-back: this page is never read.
        { link: '<https://api.github.com/app/hook/deliveries?per_page=100&cursor=v1_201>; rel="next"' },
      );
    github.post("/app/hook/deliveries/203/attempts").reply(202, {});
    github.post("/app/hook/deliveries/205/attempts").reply(202, {});

    const report = await t.relay.reconcileDeliveries("periodic");
    expect(report).toEqual({ listed: 5, redelivered: ["during-outage-1", "during-outage-2"], failedRequests: 0, gaveUp: [] });

    // GitHub redelivers them (same delivery ids); the app stores and handles them like any delivery.
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(801);
    gitlabApi().createsPipeline(91, SHA);
    await t.receive("push", pushPayload({ after: SHA }), "during-outage-1");
    githubApi().hasNoConfig();
    await t.receive("push", pushPayload(), "during-outage-2");
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", SHA)).toHaveLength(1);

    // The next round sees them handled and asks for nothing.
    t.advance(10 * MINUTE);
    nock("https://api.github.com")
      .get("/app/hook/deliveries")
      .query(true)
      .reply(200, [
        listed(t.now(), 208, "during-outage-2", 9, 200, { redelivery: true }),
        listed(t.now(), 207, "during-outage-1", 9, 200, { redelivery: true }),
        listed(t.now(), 205, "during-outage-2", 30, 502),
        listed(t.now(), 203, "during-outage-1", 50, 0),
      ]);
    expect((await t.relay.reconcileDeliveries("periodic")).redelivered).toEqual([]);
  });

  it("asks for an attempt once per round, and again in a later round when GitHub refused", async () => {
    const t = await createTestRelay();
    const list = () => nock("https://api.github.com").get("/app/hook/deliveries").query(true).reply(200, [listed(t.now(), 301, "fresh", 1, 200), listed(t.now(), 300, "lost", 5, 503)]);
    githubApi().hasNoConfig();
    await t.receive("push", pushPayload(), "fresh");

    list();
    nock("https://api.github.com").post("/app/hook/deliveries/300/attempts").reply(500, { message: "Server Error" });
    expect(await t.relay.reconcileDeliveries("periodic")).toMatchObject({ redelivered: [], failedRequests: 1 });

    list(); // same round (start and a periodic round at once, or two replicas): not asked twice
    expect(await t.relay.reconcileDeliveries("start")).toMatchObject({ redelivered: [], failedRequests: 0 });

    t.advance(10 * MINUTE);
    list();
    nock("https://api.github.com").post("/app/hook/deliveries/300/attempts").reply(202, {});
    expect(await t.relay.reconcileDeliveries("periodic")).toMatchObject({ redelivered: ["lost"] });
  });
});

describe("missed deliveries against the fake GitHub (real HTTP, cursor pagination by Link header)", () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    nock.enableNetConnect("127.0.0.1");
    fake = await startFakeGitHub();
  });
  afterAll(() => fake.close());

  function replica(store: SqliteStore, clock: () => number) {
    const operator = parseOperatorConfig({ connections: {} }, "relay.yml", {});
    const appClient = new ProbotOctokit({ auth: { token: "app-jwt" }, baseUrl: `${fake.url}/api/v3`, retry: { enabled: false }, throttle: { enabled: false } });
    return new DeliveryReconciler({
      store,
      clock,
      log: pino({ level: "silent" }),
      settings: operator.deliveries,
      appClient: async () => appClient,
      windowMs: REDELIVERY_WINDOW_MS.enterpriseServer,
      retentionMs: 14 * 24 * 60 * MINUTE,
      isWanted: () => true,
      mask: (text) => text,
    });
  }

  it("one replica owns each periodic round; the owner reads every page and redelivers the missed ones", async () => {
    const now = Date.parse("2026-11-23T10:00:00Z");
    const store = new SqliteStore(":memory:");
    await store.addEvent({ deliveryId: "stored", name: "push", payload: {}, installationId: 1, repoKey: "a/b" }, now);
    fake.deliveries.push(
      listed(now, 10, "stored", 1, 200),
      listed(now, 11, "missed-a", 2, 500),
      listed(now, 12, "missed-b", 3, 0),
      listed(now, 13, "missed-c", 4, 502),
      listed(now, 14, "missed-d", 5, 504),
    );
    const first = replica(store, () => now);
    const second = replica(store, () => now);

    const [a, b] = await Promise.all([first.tick(), second.tick()]);
    const owned = [a, b].filter((report) => report !== undefined);
    expect(owned).toHaveLength(1);
    expect(owned[0]!.redelivered.sort()).toEqual(["missed-a", "missed-b", "missed-c", "missed-d"]);
    expect(fake.redeliveryRequests.sort()).toEqual([11, 12, 13, 14]);
    // Five deliveries in pages of two: three list requests.
    expect(fake.requests.filter((r) => r.path === "/api/v3/app/hook/deliveries")).toHaveLength(3);
    await store.close();
  });
});
