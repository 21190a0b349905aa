import nock from "nock";
import type { FaultRule } from "./fakes/faults.js";
import { describeWhenEngine } from "./fakes/gate.js";
import { NO_VIOLATIONS } from "./fakes/invariants.js";
import { buildAppIfStale } from "./fakes/launcher.js";
import { sleep, World } from "./fakes/world.js";

/**
 * Vendor and GitHub faults on one process (SQLite): an outage delays, an ambiguous create is looked up before it
 * is repeated, and a stalled connection holds back no other connection. All need the rebuilt engine of issue 10.
 */
const TEST_TIMEOUT = 240_000;
const SETTLE_MS = Number(process.env.RELAY_E2E_SETTLE_SECONDS ?? 120) * 1000;
/** Issue 10 names a 2-minute outage; the default keeps `npm test` short, the full length is one variable away. */
const OUTAGE_MS = Number(process.env.RELAY_E2E_OUTAGE_SECONDS ?? 20) * 1000;

beforeAll(() => {
  nock.enableNetConnect("127.0.0.1");
  buildAppIfStale();
});

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describeWhenEngine("vendor and GitHub fault scenarios need the rebuilt engine")("vendor and GitHub faults", () => {
  test(`GitLab answers 502 to everything for ${OUTAGE_MS / 1000} s during a push: the run starts after the recovery, the check never fails`, async () => {
    world = await World.create();
    world.configureRepo("acme", "api");
    await world.startApp();
    const outageEnds = Date.now() + OUTAGE_MS;
    world.gitlab().addFault({ path: /./, status: 502, until: outageEnds });
    expect((await world.push({ installationId: 7, owner: "acme", repo: "api" })).status).toBe(200);

    await sleep(outageEnds - Date.now());
    // During the outage the push was neither dropped nor concluded.
    expect(world.github.checkRuns.filter((check) => check.status === "completed")).toEqual([]);
    expect(await world.settle(SETTLE_MS + OUTAGE_MS)).toEqual(NO_VIOLATIONS);
    const [pipeline, ...others] = world.gitlab().pipelines;
    expect(others).toEqual([]);
    expect(pipeline!.createdAt).toBeGreaterThanOrEqual(outageEnds);
    expect(world.github.checkRuns[0]!.history).not.toContain("failure");
    expect(world.github.checkRuns[0]).toMatchObject({ conclusion: "success" });
  }, TEST_TIMEOUT + OUTAGE_MS);

  const ambiguousCreates: Array<[string, FaultRule]> = [
    ["answers 504 after creating it", { method: "POST", path: /\/pipeline$/, times: 1, afterEffect: true, status: 504 }],
    ["closes the connection after creating it", { method: "POST", path: /\/pipeline$/, times: 1, afterEffect: true, dropConnection: true }],
  ];
  test.each(ambiguousCreates)("GitLab %s: exactly one pipeline, adopted", async (_name, fault) => {
    world = await World.create();
    world.configureRepo("acme", "api");
    await world.startApp();
    world.gitlab().addFault(fault);
    await world.push({ installationId: 7, owner: "acme", repo: "api" });

    expect(await world.settle(SETTLE_MS)).toEqual(NO_VIOLATIONS);
    expect(world.gitlab().pipelines).toHaveLength(1);
    expect(world.github.checkRuns[0]).toMatchObject({ conclusion: "success" });
  }, TEST_TIMEOUT);

  test("GitLab closes the connection before creating it, on a branch with 30 other pipelines since: ruled out one by one, created once", async () => {
    world = await World.create();
    world.configureRepo("acme", "api");
    await world.startApp();
    // A busy branch: other pipelines of the same project and ref, each with another RELAY_RUN_ID.
    for (let index = 0; index < 30; index += 1) {
      const variables = [
        { key: "RELAY_RUN_ID", value: `other-${index}` },
        { key: "RELAY_REPOSITORY", value: "someone/else" },
        { key: "RELAY_SHA", value: `other-${index}` },
      ];
      const created = await fetch(`${world.gitlab().url}/api/v4/projects/${encodeURIComponent("group/api")}/pipeline`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ref: "master", variables }),
      });
      expect(created.status).toBe(201);
    }
    world.gitlab().addFault({ method: "POST", path: /\/pipeline$/, times: 1, dropConnection: true });
    await world.push({ installationId: 7, owner: "acme", repo: "api" });

    expect(await world.settle(SETTLE_MS)).toEqual(NO_VIOLATIONS);
    expect(world.gitlab().pipelines.filter((pipeline) => pipeline.variables.RELAY_REPOSITORY === "acme/api")).toHaveLength(1);
    expect(world.github.checkRuns[0]).toMatchObject({ conclusion: "success" });
  }, TEST_TIMEOUT);

  const ambiguousChecks: Array<[string, FaultRule]> = [
    ["answers 502 after creating the check run", { method: "POST", path: /\/check-runs$/, times: 1, afterEffect: true, status: 502 }],
    ["closes the connection after creating the check run", { method: "POST", path: /\/check-runs$/, times: 1, afterEffect: true, dropConnection: true }],
  ];
  test.each(ambiguousChecks)("GitHub %s: exactly one check run, completed", async (_name, fault) => {
    world = await World.create();
    world.configureRepo("acme", "api");
    await world.startApp();
    world.github.addFault(fault);
    await world.push({ installationId: 7, owner: "acme", repo: "api" });

    expect(await world.settle(SETTLE_MS)).toEqual(NO_VIOLATIONS);
    expect(world.github.checkRuns).toHaveLength(1);
    expect(world.github.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "success" });
  }, TEST_TIMEOUT);

  test("connection A stalls its answer body: a push on connection B is triggered and completed meanwhile", async () => {
    world = await World.create({ connections: ["gitlab-a", "gitlab-b"], connectionSettings: { "gitlab-a": { timeoutSeconds: 5 } } });
    world.configureRepo("acme", "alpha", "gitlab-a");
    world.configureRepo("acme", "beta", "gitlab-b");
    await world.startApp();
    // The create succeeds on A, its answer stops half-way through the body.
    world.gitlab("gitlab-a").addFault({ method: "POST", path: /\/pipeline$/, times: 1, stallBody: true });
    await world.push({ installationId: 7, owner: "acme", repo: "alpha" });
    await world.until("A's stalled create", () => world!.gitlab("gitlab-a").requests.some((r) => r.outcome === "stalled"), 30_000);

    const beta = await world.push({ installationId: 8, owner: "acme", repo: "beta" });
    const ackedAt = Date.now();
    await world.until("B's pipeline", () => world!.gitlab("gitlab-b").pipelines.length === 1, 10_000);
    // Its normal latency (config read, check, create) plus the 1 s issue 10 allows; A's 5 s deadline has not passed.
    expect(world.gitlab("gitlab-b").pipelines[0]!.createdAt - ackedAt).toBeLessThan(3000);
    await world.until(
      "B's check completed",
      () => world!.github.checkRuns.some((check) => check.repo === "beta" && check.head_sha === beta.sha && check.status === "completed"),
      15_000,
    );

    // A's run: the deadline ends the stalled call, the pipeline it created is found and adopted.
    expect(await world.settle(SETTLE_MS)).toEqual(NO_VIOLATIONS);
    expect(world.gitlab("gitlab-a").pipelines).toHaveLength(1);
  }, TEST_TIMEOUT);
});
