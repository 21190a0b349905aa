import nock from "nock";
import { describeIfAvailable, describeWhenEngine, ENGINE_ENABLED, inBatches } from "./fakes/gate.js";
import { NO_VIOLATIONS } from "./fakes/invariants.js";
import { buildAppIfStale } from "./fakes/launcher.js";
import { postgresReplicas, sqliteRestart, type Topology } from "./fakes/topology.js";
import { World } from "./fakes/world.js";

/**
 * kill -9 at each point issue 10 names, then the work goes on (restart on the same SQLite file, or the other
 * PostgreSQL replica): 0 lost triggers, 0 duplicate pipelines, 0 duplicate or orphaned checks, nothing left open.
 * Settle times allow for leases of up to a minute to expire.
 */
const TEST_TIMEOUT = 180_000;
/** RELAY_E2E_SETTLE_SECONDS shortens the wait when checking that a scenario fails on an engine without the fix. */
const SETTLE_MS = Number(process.env.RELAY_E2E_SETTLE_SECONDS ?? 120) * 1000;
/** A held answer: long enough that only the kill ends it. */
const HOLD_MS = 120_000;

beforeAll(() => {
  nock.enableNetConnect("127.0.0.1");
  buildAppIfStale();
});

let world: World | undefined;
let dropStore: (() => Promise<void>) | undefined;
afterEach(async () => {
  await world?.close();
  await dropStore?.();
  world = undefined;
  dropStore = undefined;
});

async function createWorld(topology: Topology, gitlab = { pendingMs: 200, durationMs: 1500 }): Promise<World> {
  const store = await topology.prepareStore();
  dropStore = store.drop;
  world = await World.create({ gitlab, ...(store.database ? { database: store.database } : {}) });
  world.configureRepo("acme", "api");
  await topology.start(world);
  return world;
}

const postOf = (path: RegExp) => (request: { method: string; path: string }) => request.method === "POST" && path.test(request.path);

/** Scenarios the serial app already survives on SQLite: they run in every `npm test`. */
function survivableScenarios(topology: Topology) {
  test("kill -9 after the ack, before the event was handled: the push still triggers exactly once", async () => {
    const w = await createWorld(topology);
    // Handling waits on the config read, so the kill lands after the ack and before any side effect.
    w.github.addFault({ method: "GET", path: /\/contents\//, times: 1, delayMs: HOLD_MS });
    const ack = await w.push({ installationId: 7, owner: "acme", repo: "api" }, topology.entry(w));
    expect(ack.status).toBe(200);
    await w.until("the config read", () => w.github.requests.some((r) => r.path.includes("/contents/")));
    await topology.crash(w, w.github.requests.find((r) => r.path.includes("/contents/")));

    expect(await w.settle(SETTLE_MS)).toEqual(NO_VIOLATIONS);
    expect(w.gitlab().pipelines).toHaveLength(1);
  }, TEST_TIMEOUT);

  test("kill -9 while polling: the run is polled to its end after the restart, with its one check", async () => {
    const w = await createWorld(topology, { pendingMs: 500, durationMs: 6000 });
    await w.push({ installationId: 7, owner: "acme", repo: "api" }, topology.entry(w));
    const isPoll = (r: { method: string; path: string }) => r.method === "GET" && /\/pipelines\/\d+$/.test(r.path);
    await w.until("a first poll", () => w.gitlab().requests.some(isPoll));
    const poll = w.gitlab().requests.find(isPoll);
    await topology.crash(w, poll);

    expect(await w.settle(SETTLE_MS)).toEqual(NO_VIOLATIONS);
    expect(w.gitlab().pipelines).toHaveLength(1);
    expect(w.github.checkRuns[0]).toMatchObject({ status: "completed", conclusion: "success" });
  }, TEST_TIMEOUT);
}

/** Scenarios that need idempotent side effects (findRun, check adoption) and leased, concurrent work. */
function engineScenarios(topology: Topology) {
  test("kill -9 after GitLab created the pipeline, before its id was stored: the pipeline is adopted, not created again", async () => {
    const w = await createWorld(topology);
    w.gitlab().addFault({ method: "POST", path: /\/pipeline$/, times: 1, afterEffect: true, delayMs: HOLD_MS });
    await w.push({ installationId: 7, owner: "acme", repo: "api" }, topology.entry(w));
    await w.until("the pipeline create", () => w.gitlab().pipelines.length === 1);
    await topology.crash(w, w.gitlab().requests.find(postOf(/\/pipeline$/)));

    expect(await w.settle(SETTLE_MS)).toEqual(NO_VIOLATIONS);
    expect(w.gitlab().pipelines).toHaveLength(1);
  }, TEST_TIMEOUT);

  test("kill -9 during the check-run create: the created check is adopted and completed, no second one", async () => {
    const w = await createWorld(topology);
    w.github.addFault({ method: "POST", path: /\/check-runs$/, times: 1, afterEffect: true, delayMs: HOLD_MS });
    await w.push({ installationId: 7, owner: "acme", repo: "api" }, topology.entry(w));
    await w.until("the check-run create", () => w.github.checkRuns.length === 1);
    await topology.crash(w, w.github.requests.find(postOf(/\/check-runs$/)));

    expect(await w.settle(SETTLE_MS)).toEqual(NO_VIOLATIONS);
    expect(w.github.checkRuns).toHaveLength(1);
  }, TEST_TIMEOUT);

  test("kill -9 during a burst of 40 pushes over 8 installations: every acked push triggers once", async () => {
    const w = await createWorld(topology);
    const repos = Array.from({ length: 8 }, (_, index) => ({ installationId: 100 + index, owner: `org${index}`, repo: "svc" }));
    for (const repo of repos) w.configureRepo(repo.owner, repo.repo);
    const pushes = Array.from({ length: 40 }, (_, index) => repos[index % repos.length]!);
    const firstHalf = await inBatches(pushes.slice(0, 20).map((spec) => () => w.push(spec, topology.entry(w))), 8);
    expect(firstHalf.every((ack) => ack.status === 200)).toBe(true);
    await topology.crash(w);
    const secondHalf = await inBatches(pushes.slice(20).map((spec) => () => w.push(spec, topology.entry(w))), 8);
    expect(secondHalf.every((ack) => ack.status === 200)).toBe(true);

    expect(await w.settle(SETTLE_MS)).toEqual(NO_VIOLATIONS);
    expect(w.expected).toHaveLength(40);
  }, TEST_TIMEOUT);
}

describe(`crash recovery: ${sqliteRestart.name}`, () => survivableScenarios(sqliteRestart));

describeWhenEngine("crash recovery with idempotent effects needs the rebuilt engine")(`crash recovery with idempotent effects: ${sqliteRestart.name}`, () =>
  engineScenarios(sqliteRestart),
);

describeIfAvailable(ENGINE_ENABLED ? postgresReplicas.unavailable : "needs the rebuilt engine's PostgreSQL store (RELAY_E2E_ENGINE=1)", postgresReplicas.name)(
  `crash recovery: ${postgresReplicas.name}`,
  () => {
    survivableScenarios(postgresReplicas);
    engineScenarios(postgresReplicas);
  },
);
