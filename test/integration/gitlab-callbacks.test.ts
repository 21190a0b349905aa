import nock from "nock";
import { checked } from "../helpers/github-api.js";
import { gitlabApi } from "../helpers/gitlab-api.js";
import { configFixture } from "../helpers/fixtures.js";
import { CANARY_TOKEN } from "../helpers/relay.js";
import { pushPayload } from "../helpers/webhooks.js";
import { deliverWebhook, post, startListeningRelay, type ListeningRelay } from "../helpers/callback-app.js";

const CALLBACK_TOKEN = "gitlab-callback-token-3b9d41f0";
const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const REPO_PATH = "/repos/Codertocat/Hello-World";

const OPERATOR_YAML = `
connections:
  corp-gitlab:
    vendor: gitlab
    url: https://gitlab.example.com
    token: \${GITLAB_TOKEN}
    callback_token: \${GITLAB_CALLBACK_TOKEN}
    poll_seconds_with_callbacks: 300
    repositories: ["Codertocat/*"]
  plain-gitlab:
    vendor: gitlab
    url: https://gitlab.other.example.com
    token: \${GITLAB_TOKEN}
    repositories: ["someone-else/*"]
tracker:
  poll_initial_seconds: 5
  poll_max_seconds: 60
`;

beforeAll(() => nock.enableNetConnect("127.0.0.1"));

/** GitLab's Pipeline event as its webhook docs show it (trimmed to what matters here, plus a status we must not trust). */
function pipelineEvent(id: number, status: string) {
  return {
    object_kind: "pipeline",
    object_attributes: { id, iid: id, ref: "master", sha: SHA, status, detailed_status: status, variables: [{ key: "RELAY_RUN_ID", value: "1" }] },
    project: { id: 1, path_with_namespace: "acme/backend" },
    builds: [],
  };
}

const callback = (port: number, connection: string, body: unknown, token?: string, event = "Pipeline Hook") =>
  post(port, `/pipeline-relay/callbacks/gitlab/${connection}`, JSON.stringify(body), { "x-gitlab-event": event, ...(token === undefined ? {} : { "x-gitlab-token": token }) });

describe("GitLab callbacks (a real HTTP request to the app)", () => {
  let app: ListeningRelay;
  beforeEach(async () => {
    app = await startListeningRelay(OPERATOR_YAML, { GITLAB_TOKEN: CANARY_TOKEN, GITLAB_CALLBACK_TOKEN: CALLBACK_TOKEN });
  });
  afterEach(() => app.close());

  async function runningPipeline(): Promise<void> {
    const github = nock("https://api.github.com");
    github.post("/app/installations/1/access_tokens").reply(201, { token: "ghs_installation", expires_at: new Date(Date.now() + 3600_000).toISOString() });
    github.get(`${REPO_PATH}/contents/.github%2Fpipelines.yml`).reply(200, configFixture("gitlab"), { "content-type": "text/plain; charset=utf-8" });
    github.post(`${REPO_PATH}/check-runs`).reply(201, { id: 501 });
    gitlabApi().createsPipeline(61, SHA);
    expect((await deliverWebhook(app.port, "push", pushPayload({ after: SHA }), "push-1")).status).toBe(200);
    await app.relay.runUntilIdle();

    // The first poll confirms the start; after it, polling is only the slow safety net.
    app.clock.now += 5_000;
    gitlabApi().reportsPipeline(61, "running", SHA);
    nock("https://api.github.com").patch(`${REPO_PATH}/check-runs/501`).reply(200, { id: 501 });
    await app.relay.runUntilIdle();
    const [run] = await app.store.runsForCommit("Codertocat", "Hello-World", SHA);
    expect(run).toMatchObject({ state: "running", vendorRunId: "61", nextPollAt: app.clock.now + 300_000 });
  }

  it("a callback makes the run due at once; the poll, not the callback's body, completes the check", async () => {
    await runningPipeline();
    app.clock.now += 20_000;

    const answer = await callback(app.port, "corp-gitlab", pipelineEvent(61, "success"), CALLBACK_TOKEN);
    expect(answer.status).toBe(202);
    const [hinted] = await app.store.runsForCommit("Codertocat", "Hello-World", SHA);
    // Only the due time moved: the body said success, the run is still running until GitLab is asked.
    expect(hinted).toMatchObject({ state: "running", nextPollAt: app.clock.now });

    gitlabApi().reportsPipeline(61, "success", SHA).hasTestSummary(61);
    nock("https://api.github.com")
      .patch(`${REPO_PATH}/check-runs/501`, (body) => checked((b) => expect(b).toMatchObject({ status: "completed", conclusion: "success" }), body))
      .reply(200, { id: 501 });
    await app.relay.runUntilIdle();
    expect((await app.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]!.state).toBe("success");
    expect(app.logs.join("\n")).not.toContain(CALLBACK_TOKEN);
  });

  it("a callback that lies about the status changes nothing but costs one poll", async () => {
    await runningPipeline();
    expect((await callback(app.port, "corp-gitlab", pipelineEvent(61, "failed"), CALLBACK_TOKEN)).status).toBe(202);
    gitlabApi().reportsPipeline(61, "running", SHA);
    await app.relay.runUntilIdle();
    expect((await app.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]).toMatchObject({ state: "running", nextPollAt: app.clock.now + 300_000 });
  });

  it("refuses callbacks without the right token, for unknown connections, and over the size limit, revealing no run", async () => {
    await runningPipeline();
    const before = (await app.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]!.nextPollAt;
    const answers = [
      await callback(app.port, "corp-gitlab", pipelineEvent(61, "success")),
      await callback(app.port, "corp-gitlab", pipelineEvent(61, "success"), "wrong-token"),
      await callback(app.port, "corp-gitlab", pipelineEvent(61, "success"), CALLBACK_TOKEN.slice(0, -1)),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    // Unknown connection and a connection without callbacks: the same 404, whatever run id is named.
    expect((await callback(app.port, "nope", pipelineEvent(61, "success"), CALLBACK_TOKEN)).status).toBe(404);
    expect((await callback(app.port, "plain-gitlab", pipelineEvent(61, "success"), CALLBACK_TOKEN)).status).toBe(404);
    // An authenticated caller learns nothing either: a pipeline we never started gets the same answer.
    const unknownRun = await callback(app.port, "corp-gitlab", pipelineEvent(999, "success"), CALLBACK_TOKEN);
    const knownRun = await callback(app.port, "corp-gitlab", pipelineEvent(61, "running"), CALLBACK_TOKEN);
    expect([unknownRun.status, await unknownRun.json()]).toEqual([knownRun.status, await knownRun.json()]);
    // Over the size limit.
    const huge = { ...pipelineEvent(61, "success"), builds: [{ log: "x".repeat(3 * 1024 * 1024) }] };
    expect((await callback(app.port, "corp-gitlab", huge, CALLBACK_TOKEN)).status).toBe(413);
    expect((await post(app.port, "/pipeline-relay/callbacks/gitlab/corp-gitlab", "{", { "x-gitlab-token": CALLBACK_TOKEN })).status).toBe(202);
    expect((await fetch(`http://127.0.0.1:${app.port}/pipeline-relay/callbacks/gitlab/corp-gitlab`)).status).toBe(405);
    // Only the authenticated callback about pipeline 61 moved its run.
    expect(before).toBeGreaterThan(app.clock.now);
    expect((await app.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]!.nextPollAt).toBe(app.clock.now);
  });

  it("a callback that arrives while its run is being polled is not lost: the run is polled again at once", async () => {
    await runningPipeline();
    app.clock.now += 300_000;
    // The scheduled poll reads "running"; GitLab finishes and calls back before that answer arrives.
    const answers: number[] = [];
    gitlabApi().reportsPipelineAfter(61, "running", SHA, async () => {
      answers.push((await callback(app.port, "corp-gitlab", pipelineEvent(61, "success"), CALLBACK_TOKEN)).status);
    });
    // The hint makes the run due again at once (without it: in 300 s, and the check would stay running that long).
    gitlabApi().reportsPipeline(61, "success", SHA).hasTestSummary(61);
    nock("https://api.github.com").patch(`${REPO_PATH}/check-runs/501`).reply(200, { id: 501 });
    await app.relay.runUntilIdle();
    expect(answers).toEqual([202]);
    expect((await app.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]).toMatchObject({ state: "success" });
  });

  it("Job events point at their pipeline", async () => {
    await runningPipeline();
    const jobEvent = { object_kind: "build", build_id: 380, build_status: "success", pipeline_id: 61, project_id: 1 };
    expect((await callback(app.port, "corp-gitlab", jobEvent, CALLBACK_TOKEN, "Job Hook")).status).toBe(202);
    expect((await app.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]!.nextPollAt).toBe(app.clock.now);
    gitlabApi().reportsPipeline(61, "running", SHA);
    await app.relay.runUntilIdle();
  });
});
