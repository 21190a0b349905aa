import nock from "nock";
import { buildAppIfStale } from "./fakes/launcher.js";
import { NO_VIOLATIONS } from "./fakes/invariants.js";
import { World } from "./fakes/world.js";

/**
 * GitLab callbacks against the real app process: the fake GitLab calls the app's callback endpoint (Pipeline events,
 * X-Gitlab-Token) when a pipeline starts and ends. Polling is set to the slow safety net (300 s), so a check that
 * completes within seconds was completed by the callback's poll.
 */
const TIMEOUT = 90_000;
const CALLBACK_TOKEN = "e2e-gitlab-callback-token";

let world: World | undefined;
beforeAll(() => {
  nock.enableNetConnect("127.0.0.1");
  buildAppIfStale();
});
afterEach(async () => {
  await world?.close();
  world = undefined;
}, TIMEOUT);

test("a pipeline's end reaches GitHub within seconds through the callback, with polling at 300 s", async () => {
  world = await World.create({
    gitlab: { pendingMs: 300, durationMs: 8_000 },
    connectionSettings: { "gitlab-a": { callbacks: { pollSeconds: 300 } } },
    tracker: { poll_initial_seconds: 5, poll_max_seconds: 60, tick_seconds: 1 },
  });
  world.configureRepo("acme", "api");
  const app = await world.startApp({ GITLAB_CALLBACK_TOKEN: CALLBACK_TOKEN });
  world.gitlab().setHook({ url: `${app.url}/pipeline-relay/callbacks/gitlab/gitlab-a`, token: CALLBACK_TOKEN });

  const ack = await world.push({ installationId: 42, owner: "acme", repo: "api" });
  expect(ack.status).toBe(200);
  expect(await world.settle(30_000)).toEqual(NO_VIOLATIONS);

  const [pipeline] = world.gitlab().pipelines;
  const [check] = world.github.checkRuns;
  expect(check).toMatchObject({ head_sha: ack.sha, status: "completed", conclusion: "success" });
  expect(world.gitlab().hookCalls.map((call) => call.answer)).toEqual([202, 202]);
  expect(check!.completedAt! - (pipeline!.createdAt + pipeline!.durationMs)).toBeLessThan(5_000);
  expect(app.log()).not.toContain(CALLBACK_TOKEN);
}, TIMEOUT);

test("a callback with a wrong token is refused and the run waits for its poll", async () => {
  world = await World.create({
    gitlab: { pendingMs: 300, durationMs: 3_000 },
    connectionSettings: { "gitlab-a": { callbacks: { pollSeconds: 300 } } },
    tracker: { poll_initial_seconds: 5, poll_max_seconds: 60, tick_seconds: 1 },
  });
  world.configureRepo("acme", "api");
  const app = await world.startApp({ GITLAB_CALLBACK_TOKEN: CALLBACK_TOKEN });
  world.gitlab().setHook({ url: `${app.url}/pipeline-relay/callbacks/gitlab/gitlab-a`, token: "not-the-token" });

  await world.push({ installationId: 42, owner: "acme", repo: "api" });
  await world.until("both callbacks answered", () => world!.gitlab().hookCalls.length === 2);
  expect(world.gitlab().hookCalls.map((call) => call.answer)).toEqual([401, 401]);
  // The first poll (5 s after the trigger) sees the pipeline done; until then the check is not completed.
  expect(world.github.checkRuns.filter((check) => check.status === "completed")).toEqual([]);
  expect(await world.settle(20_000)).toEqual(NO_VIOLATIONS);
}, TIMEOUT);
