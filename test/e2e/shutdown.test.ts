import nock from "nock";
import { describeWhenEngine, inBatches } from "./fakes/gate.js";
import { NO_VIOLATIONS } from "./fakes/invariants.js";
import { buildAppIfStale } from "./fakes/launcher.js";
import { World } from "./fakes/world.js";

/** SIGTERM mid-burst: the process exits 0 within Kubernetes' grace (25 s), and a restart finishes everything. */
const SHUTDOWN_DEADLINE_MS = 25_000;
const SETTLE_MS = Number(process.env.RELAY_E2E_SETTLE_SECONDS ?? 120) * 1000;

beforeAll(() => {
  nock.enableNetConnect("127.0.0.1");
  buildAppIfStale();
});

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describeWhenEngine("graceful shutdown within 25 s needs the rebuilt engine")("graceful shutdown", () => {
  test("SIGTERM during a burst of 40 pushes: exit 0 within 25 s, then every acked push triggers once after a restart", async () => {
    world = await World.create({ gitlab: { pendingMs: 200, durationMs: 3000 } });
    const repos = Array.from({ length: 8 }, (_, index) => ({ installationId: 200 + index, owner: `team${index}`, repo: "web" }));
    for (const repo of repos) world.configureRepo(repo.owner, repo.repo);
    const app = await world.startApp();
    const acks = await inBatches(
      Array.from({ length: 40 }, (_, index) => () => world!.push(repos[index % repos.length]!, app)),
      8,
    );
    expect(acks.every((ack) => ack.status === 200)).toBe(true);

    const exit = await app.terminate(SHUTDOWN_DEADLINE_MS + 20_000);
    expect({ code: exit.code, withinDeadline: exit.ms <= SHUTDOWN_DEADLINE_MS }).toEqual({ code: 0, withinDeadline: true });

    await world.startApp();
    expect(await world.settle(SETTLE_MS)).toEqual(NO_VIOLATIONS);
    expect(world.expected).toHaveLength(40);
  }, 240_000);
});
