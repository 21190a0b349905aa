import nock from "nock";
import { buildAppIfStale } from "./fakes/launcher.js";
import { NO_VIOLATIONS } from "./fakes/invariants.js";
import { World } from "./fakes/world.js";

/**
 * The harness proven on the app as it is: a real `probot run` process, a fake GitHub Enterprise and a fake GitLab.
 * These run in every `npm test`; the fault scenarios are in faults.test.ts.
 */
const TIMEOUT = 90_000;

let world: World | undefined;
beforeAll(() => {
  nock.enableNetConnect("127.0.0.1");
  buildAppIfStale();
});
afterEach(async () => {
  await world?.close();
  world = undefined;
}, TIMEOUT);

test("a push webhook creates exactly one GitLab pipeline with RELAY_RUN_ID, and its check run ends in success", async () => {
  world = await World.create();
  world.configureRepo("acme", "api");
  await world.startApp();

  const ack = await world.push({ installationId: 42, owner: "acme", repo: "api" });
  expect(ack.status).toBe(200);

  const findings = await world.settle(30_000);
  expect(findings).toEqual(NO_VIOLATIONS);
  const [pipeline, ...others] = world.gitlab().pipelines;
  expect(others).toEqual([]);
  expect(pipeline).toMatchObject({ project: "group/api", ref: "master", sha: ack.sha });
  expect(pipeline!.variables).toMatchObject({ RELAY_RUN_ID: expect.stringMatching(/^\d+$/), RELAY_REPOSITORY: "acme/api", RELAY_PIPELINE: "build", RELAY_SHA: ack.sha });

  const [check, ...otherChecks] = world.github.checkRuns;
  expect(otherChecks).toEqual([]);
  expect(check).toMatchObject({ owner: "acme", repo: "api", head_sha: ack.sha, name: "pipeline-relay/build", status: "completed", conclusion: "success" });
  // The app authenticated as installation 42 against the fake, on the GHE path.
  expect(world.github.requests.some((request) => request.path === "/api/v3/app/installations/42/access_tokens")).toBe(true);
}, TIMEOUT);

test("the same push again, under a new and then a repeated delivery id, creates nothing more", async () => {
  world = await World.create();
  world.configureRepo("acme", "api");
  const app = await world.startApp();
  const first = await world.push({ installationId: 42, owner: "acme", repo: "api" });
  expect(await world.settle(30_000)).toEqual(NO_VIOLATIONS);

  const { pushPayload, sendWebhook } = await import("./fakes/webhook-sender.js");
  const again = pushPayload({ installationId: 42, owner: "acme", repo: "api", sha: first.sha });
  const firstDelivery = (await sendWebhook(app.webhookUrl, app.webhookSecret, { event: "push", payload: again, deliveryId: "fixed-delivery" })).status;
  const secondDelivery = (await sendWebhook(app.webhookUrl, app.webhookSecret, { event: "push", payload: again, deliveryId: "fixed-delivery" })).status;
  expect([firstDelivery, secondDelivery]).toEqual([200, 200]);
  expect(await world.settle(5_000, 2_000)).toEqual(NO_VIOLATIONS);
  expect(world.gitlab().pipelines).toHaveLength(1);
}, TIMEOUT);

test("a webhook with a wrong signature is refused and triggers nothing", async () => {
  world = await World.create();
  world.configureRepo("acme", "api");
  const app = await world.startApp();
  const { pushPayload, sendWebhook } = await import("./fakes/webhook-sender.js");
  const payload = pushPayload({ installationId: 42, owner: "acme", repo: "api", sha: "a".repeat(40) });
  const answer = await sendWebhook(app.webhookUrl, "not-the-secret", { event: "push", payload });
  expect(answer.status).toBe(400);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(world.gitlab().pipelines).toEqual([]);
  expect(world.github.checkRuns).toEqual([]);
}, TIMEOUT);

test("a held request is traced to the app process that sent it (how the replica test picks its victim)", async () => {
  const { processOwningPort } = await import("./fakes/socket-owner.js");
  world = await World.create();
  world.configureRepo("acme", "api");
  world.github.addFault({ method: "GET", path: /\/contents\//, times: 1, delayMs: 60_000 });
  const app = await world.startApp();
  await world.push({ installationId: 42, owner: "acme", repo: "api" });
  await world.until("the config read", () => world!.github.requests.some((request) => request.path.includes("/contents/")));
  const held = world.github.requests.find((request) => request.path.includes("/contents/"))!;
  expect(processOwningPort(held.remotePort, [process.pid, app.pid])).toBe(app.pid);
}, TIMEOUT);
