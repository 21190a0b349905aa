import nock from "nock";
import type { GitlabTarget } from "../../src/vendors/gitlab/schema.js";
import { GITLAB_STATUS_WORDS } from "../../src/vendors/gitlab/state-map.js";
import { createAdapterForTest } from "../helpers/adapter.js";
import { gitlabFixture } from "../helpers/fixtures.js";
import { describeAdapterContract } from "./vendor-adapter.contract.js";

const SECRET = "gitlab-contract-secret-123";
const URL = "https://gitlab.example.com";
const PIPELINES = "/api/v4/projects/42/pipelines";

describeAdapterContract<GitlabTarget>("gitlab", {
  vendor: "gitlab",
  secret: SECRET,
  createAdapter: () =>
    createAdapterForTest<GitlabTarget>(`vendor: gitlab\nurl: ${URL}\ntoken: \${TOKEN}\nrepositories: ["*/*"]`, { TOKEN: SECRET }),
  request: {
    target: { project: 42 },
    repository: { owner: "acme", name: "app", fullName: "acme/app", cloneUrl: "https://github.com/acme/app.git", htmlUrl: "https://github.com/acme/app" },
    sha: "a".repeat(40),
    ref: "main",
    refType: "branch",
    variables: { RELAY_SHA: "a".repeat(40) },
    description: "test",
  },
  acceptsTrigger: (runId) =>
    void nock(URL, { reqheaders: { "private-token": SECRET } })
      .post("/api/v4/projects/42/pipeline", { ref: "main", variables: [{ key: "RELAY_SHA", value: "a".repeat(40), variable_type: "env_var" }] })
      .reply(201, { ...gitlabFixture("pipeline_create"), id: Number(runId) }),
  reportsStatus: (runId, word) => void nock(URL).get(`${PIPELINES}/${runId}`).reply(200, { ...gitlabFixture("pipeline_get.success"), status: word }),
  words: {
    queued: ["created", "waiting_for_resource", "preparing", "pending", "scheduled"],
    running: ["running", "canceling", "manual", "waiting_for_callback"],
    success: ["success"],
    failure: ["failed"],
    cancelled: ["canceled"],
    skipped: ["skipped"],
  },
  unknownWord: "teleporting",
  acceptsCancel: (runId) => void nock(URL).post(`${PIPELINES}/${runId}/cancel`).reply(200, gitlabFixture("pipeline_cancel")),
  acceptsRetry: (runId) => {
    nock(URL).post(`${PIPELINES}/${runId}/retry`).reply(201, { ...gitlabFixture("pipeline_retry"), id: Number(runId) });
    return runId;
  },
  reportsTests: (runId, counts) => {
    const body = gitlabFixture("test_report_summary");
    body.total = counts
      ? { ...body.total, count: counts.total, success: counts.passed, failed: counts.failed, skipped: counts.skipped, error: counts.errored ?? 0 }
      : { ...body.total, count: 0, success: 0, failed: 0, skipped: 0, error: 0 };
    nock(URL).get(`${PIPELINES}/${runId}/test_report_summary`).reply(200, body);
  },
  rejectsTrigger: [
    { label: "401", status: 401, mustMention: ["HTTP 401", "401 Unauthorized"], setup: () => void nock(URL).post("/api/v4/projects/42/pipeline").reply(401, gitlabFixture("error_401")) },
    { label: "400 invalid ref", status: 400, mustMention: ["base: Reference not found"], setup: () => void nock(URL).post("/api/v4/projects/42/pipeline").reply(400, gitlabFixture("error_400.invalid_ref")) },
    { label: "404 project", status: 404, mustMention: ["404 Project Not Found"], setup: () => void nock(URL).post("/api/v4/projects/42/pipeline").reply(404, gitlabFixture("error_404.project")) },
    { label: "504, sent once", status: 504, ambiguous: true, mustMention: ["HTTP 504"], setup: () => void nock(URL).post("/api/v4/projects/42/pipeline").reply(504, "Gateway Timeout") },
    { label: "429 with Retry-After", status: 429, mustMention: ["HTTP 429", "Retry later"], setup: () => void nock(URL).post("/api/v4/projects/42/pipeline").reply(429, "Retry later", { "retry-after": "60" }) },
  ],
  failsOnceThenReports: (runId, word) =>
    void nock(URL)
      .get(`${PIPELINES}/${runId}`).reply(502, "Bad Gateway")
      .get(`${PIPELINES}/${runId}`).reply(200, { ...gitlabFixture("pipeline_get.success"), status: word }),
  reportsMalformed: (runId) => void nock(URL).get(`${PIPELINES}/${runId}`).reply(200, { id: Number(runId), status: 7 }),
  networkFails: (runId) => void nock(URL).get(`${PIPELINES}/${runId}`).times(3).replyWithError("socket hang up"),
});

it("knows all 13 GitLab pipeline statuses", () => {
  expect(GITLAB_STATUS_WORDS).toHaveLength(13);
});
