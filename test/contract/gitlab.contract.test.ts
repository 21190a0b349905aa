import nock from "nock";
import { VendorError } from "../../src/errors.js";
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
  errorEnvelope: {
    mustMention: ["GitLab refused to", "403 Forbidden"],
    operations: {
      trigger: () => void nock(URL).post("/api/v4/projects/42/pipeline").reply(201, gitlabFixture("error_403")),
      getRun: (runId) => void nock(URL).get(`${PIPELINES}/${runId}`).reply(200, gitlabFixture("error_403")),
      cancel: (runId) => void nock(URL).post(`${PIPELINES}/${runId}/cancel`).reply(200, gitlabFixture("error_403")),
      retry: (runId) => void nock(URL).post(`${PIPELINES}/${runId}/retry`).reply(201, gitlabFixture("error_403")),
      getTestSummary: (runId) => void nock(URL).get(`${PIPELINES}/${runId}/test_report_summary`).reply(200, gitlabFixture("error_403")),
      describeFailure: (runId) =>
        void nock(URL)
          .get(`${PIPELINES}/${runId}/jobs`)
          .query(true)
          .reply(200, [{ id: 7, name: "unit", stage: "test", status: "failed" }])
          .get("/api/v4/projects/42/jobs/7/trace")
          .reply(200, gitlabFixture("error_403")),
    },
  },
});

it("knows all 13 GitLab pipeline statuses", () => {
  expect(GITLAB_STATUS_WORDS).toHaveLength(13);
});

describe("gitlab: ids, unknown words and known errors", () => {
  const adapter = () =>
    createAdapterForTest<GitlabTarget>(`vendor: gitlab\nurl: ${URL}\ntoken: \${TOKEN}\nrepositories: ["*/*"]`, { TOKEN: SECRET }).adapter;
  const BIG = "9007199254740993";
  const request = {
    target: { project: "group/app" },
    repository: { owner: "acme", name: "app", fullName: "acme/app", cloneUrl: "https://github.com/acme/app.git", htmlUrl: "https://github.com/acme/app" },
    sha: "a".repeat(40),
    ref: "feature",
    refType: "branch" as const,
    variables: {},
    description: "test",
  };

  it("keeps a 64-bit pipeline id exact from the create answer through the next poll", async () => {
    const created = JSON.stringify({ ...gitlabFixture("pipeline_create"), id: 1 }).replace('"id":1,', `"id":${BIG},`);
    nock(URL).post("/api/v4/projects/group%2Fapp/pipeline").reply(201, created, { "content-type": "application/json" });
    const run = await adapter().trigger(request);
    expect(run.runId).toBe(BIG);
    nock(URL).get(`/api/v4/projects/group%2Fapp/pipelines/${BIG}`).reply(200, { ...gitlabFixture("pipeline_get.success"), status: "running" });
    expect((await adapter().getRun(run, request.target)).state).toBe("running");
  });

  it("shows an unknown status word on the check and matches known words without regard to case", async () => {
    nock(URL).get(`${PIPELINES}/5`).reply(200, { ...gitlabFixture("pipeline_get.success"), status: "FAILED" });
    nock(URL).get(`${PIPELINES}/5`).reply(200, { ...gitlabFixture("pipeline_get.success"), status: "xyz" });
    const gitlab = adapter();
    expect((await gitlab.getRun({ runId: "5" }, { project: 42 })).state).toBe("failure");
    expect(await gitlab.getRun({ runId: "5" }, { project: 42 })).toMatchObject({ state: "running", unknownStatusNote: expect.stringContaining("GitLab said `xyz`; treating it as running") });
  });

  it.each([
    ["a fork's pull request", { number: 3, headRef: "feature", baseRef: "main", headSha: "a".repeat(40), fromFork: true }, "the pull request comes from a fork"],
    ["a branch of the repository", { number: 3, headRef: "feature", baseRef: "main", headSha: "a".repeat(40), fromFork: false }, "the mirror has probably not synced this push"],
  ])("`Reference not found` on %s says what to do", async (_label, pullRequest, remedy) => {
    nock(URL).post("/api/v4/projects/group%2Fapp/pipeline").reply(400, gitlabFixture("error_400.invalid_ref"));
    const error = await adapter().trigger({ ...request, pullRequest }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect((error as VendorError).message).toContain("Reference not found");
    expect((error as VendorError).message).toContain(remedy);
  });

  it("reduces an HTML error page to its status and title", async () => {
    nock(URL).get(`${PIPELINES}/5`).times(3).reply(502, "<html><head><title>502 Bad Gateway</title></head><body><pre>stack trace</pre></body></html>");
    const error = (await adapter().getRun({ runId: "5" }, { project: 42 }).catch((e: unknown) => e)) as VendorError;
    expect(error.message).toBe('gitlab getRun failed: HTTP 502: an HTML page titled "502 Bad Gateway"');
  });

  it("keeps the LAST lines of a log with long lines, so the final error line is shown", async () => {
    const trace = `${Array.from({ length: 10 }, () => "x".repeat(2000)).join("\n")}\nERROR: the final error line`;
    nock(URL).get(`${PIPELINES}/5/jobs`).query(true).reply(200, [{ id: 7, name: "unit", stage: "test", status: "failed" }]);
    nock(URL).get("/api/v4/projects/42/jobs/7/trace").reply(200, trace, { "content-type": "text/plain" });
    const detail = await adapter().describeFailure!({ runId: "5" }, { project: 42 });
    expect(detail).toContain("ERROR: the final error line");
    expect(detail!.length).toBeLessThan(7000);
  });

  it("masks a secret a job log prints before the failure detail leaves the adapter", async () => {
    nock(URL).get(`${PIPELINES}/5/jobs`).query(true).reply(200, [{ id: 7, name: "unit", stage: "test", status: "failed" }]);
    nock(URL).get("/api/v4/projects/42/jobs/7/trace").reply(200, `echo ${SECRET}\nfailed`, { "content-type": "text/plain" });
    const detail = await adapter().describeFailure!({ runId: "5" }, { project: 42 });
    expect(detail).not.toContain(SECRET);
    expect(detail).toContain("echo ***");
  });
});
