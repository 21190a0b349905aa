import nock from "nock";
import { describeWhenEngine, inBatches } from "./fakes/gate.js";
import { NO_VIOLATIONS } from "./fakes/invariants.js";
import { buildAppIfStale } from "./fakes/launcher.js";
import { pushPayload, sendWebhook } from "./fakes/webhook-sender.js";
import { sleep, World } from "./fakes/world.js";

/**
 * SIGTERM mid-burst (issue 10, item 8): the HTTP server closes first (no more acks), the process exits 0 within
 * Kubernetes' grace (25 s), and a restart on the same store finishes every acked push exactly once.
 */
const SHUTDOWN_DEADLINE_MS = 25_000;
const SETTLE_MS = Number(process.env.RELAY_E2E_SETTLE_SECONDS ?? 120) * 1000;
const PUSHES = 200;

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
  test(`SIGTERM during a burst of ${PUSHES} pushes: no ack after it, exit 0 within 25 s, then every acked push triggers once after a restart`, async () => {
    world = await World.create({ gitlab: { pendingMs: 200, durationMs: 3000 } });
    const repos = Array.from({ length: 20 }, (_, index) => ({ installationId: 200 + index, owner: `team${index}`, repo: "web" }));
    for (const repo of repos) world.configureRepo(repo.owner, repo.repo);
    const app = await world.startApp();
    const acks = await inBatches(
      Array.from({ length: PUSHES }, (_, index) => () => world!.push(repos[index % repos.length]!, app)),
      16,
    );
    expect(acks.every((ack) => ack.status === 200)).toBe(true);

    const exit = app.terminate(SHUTDOWN_DEADLINE_MS + 60_000);
    await sleep(1000);
    // A delivery after SIGTERM must not be acked: the load balancer sends it to another replica, or GitHub redelivers.
    const late = pushPayload({ installationId: 200, owner: "team0", repo: "web", sha: "b".repeat(40) });
    const lateStatus = await sendWebhook(app.webhookUrl, app.webhookSecret, { event: "push", payload: late }).then(
      (answer) => answer.status,
      () => "refused",
    );
    expect(lateStatus).not.toBe(200);
    const { code, ms } = await exit;
    expect({ code, withinDeadline: ms <= SHUTDOWN_DEADLINE_MS }).toEqual({ code: 0, withinDeadline: true });

    await world.startApp();
    expect(await world.settle(SETTLE_MS)).toEqual(NO_VIOLATIONS);
    expect(world.expected).toHaveLength(PUSHES);
  }, 300_000);
});
