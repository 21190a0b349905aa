import nock from "nock";
import { githubApi } from "../helpers/github-api.js";
import { CANARY_TOKEN } from "../helpers/relay.js";
import { pushPayload } from "../helpers/webhooks.js";
import { deliverWebhook, post, startListeningRelay, type ListeningRelay } from "../helpers/callback-app.js";
import { ZADIG_URL, zadigApi, zadigRepoConfig } from "../helpers/zadig-api.js";

const CALLBACK_TOKEN = "zadig-notify-token-8c1e07aa";
const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

const OPERATOR_YAML = `
connections:
  zadig-openapi:
    vendor: zadig
    api: openapi
    url: ${ZADIG_URL}
    token: \${ZADIG_TOKEN}
    callback_token: \${ZADIG_CALLBACK_TOKEN}
    repositories: ["Codertocat/*"]
tracker:
  poll_initial_seconds: 5
  poll_max_seconds: 60
`;

beforeAll(() => nock.enableNetConnect("127.0.0.1"));

/** A custom workflow's Webhook notification as Zadig's webhooknotify sends it, with a status we must not trust. */
function workflowNotification(taskId: number, status: string) {
  return {
    object_kind: "workflow",
    event: "workflow",
    workflow: { task_id: taskId, project_name: "proxy", workflow_name: "build-deploy", status, detail_url: `${ZADIG_URL}/v1/projects/detail/proxy`, stages: [] },
  };
}

const notify = (port: number, body: unknown, headers: Record<string, string>) =>
  post(port, "/pipeline-relay/callbacks/zadig/zadig-openapi", JSON.stringify(body), { "x-zadig-event": "workflow", ...headers });

describe("Zadig workflow notifications (a real HTTP request to the app)", () => {
  let app: ListeningRelay;
  beforeEach(async () => {
    app = await startListeningRelay(OPERATOR_YAML, { ZADIG_TOKEN: CANARY_TOKEN, ZADIG_CALLBACK_TOKEN: CALLBACK_TOKEN });
  });
  afterEach(() => app.close());

  async function runningTask(): Promise<void> {
    nock("https://api.github.com")
      .post("/app/installations/1/access_tokens")
      .reply(201, { token: "ghs_installation", expires_at: new Date(Date.now() + 3600_000).toISOString() });
    githubApi().hasConfig(zadigRepoConfig("openapi")).createsCheck(801);
    zadigApi("openapi").startsTask(41);
    expect((await deliverWebhook(app.port, "push", pushPayload({ after: SHA }), "push-1")).status).toBe(200);
    await app.relay.runUntilIdle();
    app.clock.now += 5_000;
    zadigApi("openapi").reportsTask(41, "running");
    githubApi().updatesCheck(801);
    await app.relay.runUntilIdle();
    expect((await app.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]).toMatchObject({ state: "running", vendorRunId: "41", nextPollAt: app.clock.now + 300_000 });
  }

  it("a notification makes the task due at once; the poll, not the notification, completes the check", async () => {
    await runningTask();
    app.clock.now += 20_000;
    expect((await notify(app.port, workflowNotification(41, "failed"), { "x-zadig-token": CALLBACK_TOKEN })).status).toBe(202);
    expect((await app.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]).toMatchObject({ state: "running", nextPollAt: app.clock.now });

    zadigApi("openapi").reportsTask(41, "passed").hasTests(41, { total: 10, passed: 10, failed: 0, skipped: 0 });
    githubApi().updatesCheck(801, (body) => expect(body).toMatchObject({ status: "completed", conclusion: "success" }));
    await app.relay.runUntilIdle();
    expect((await app.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]!.state).toBe("success");
    expect(app.logs.join("\n")).not.toContain(CALLBACK_TOKEN);
  });

  it("refuses a wrong or missing token, GitLab's header, and the other vendor's route, moving nothing", async () => {
    await runningTask();
    const due = (await app.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]!.nextPollAt;
    const answers = [
      await notify(app.port, workflowNotification(41, "passed"), {}),
      await notify(app.port, workflowNotification(41, "passed"), { "x-zadig-token": "wrong" }),
      await notify(app.port, workflowNotification(41, "passed"), { "x-gitlab-token": CALLBACK_TOKEN }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401]);
    // A Zadig connection is not reachable on GitLab's route, even with the right secret.
    const gitlabRoute = await post(app.port, "/pipeline-relay/callbacks/gitlab/zadig-openapi", JSON.stringify(workflowNotification(41, "passed")), { "x-gitlab-token": CALLBACK_TOKEN });
    expect(gitlabRoute.status).toBe(404);
    expect((await app.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]!.nextPollAt).toBe(due);
  });
});
