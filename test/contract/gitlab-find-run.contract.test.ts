import nock from "nock";
import { VendorError } from "../../src/errors.js";
import type { GitlabTarget } from "../../src/vendors/gitlab/schema.js";
import type { TriggerRequest } from "../../src/vendors/types.js";
import { createAdapterForTest } from "../helpers/adapter.js";
import { gitlabFixture, vendorFixture } from "../helpers/fixtures.js";
import { describeFindRunContract, OUR_RELAY_RUN_ID, type ListedRun } from "./find-run.contract.js";

const SECRET = "gitlab-find-run-secret-123";
const URL = "https://gitlab.example.com";
const PIPELINES = "/api/v4/projects/42/pipelines";
const SHA = "a".repeat(40);
const SINCE = Date.parse("2026-12-01T10:00:00Z");
/** The search looks five minutes further back than `since`, for clock skew. */
const UPDATED_AFTER = "2026-12-01T09:55:00.000Z";

const createAdapter = () =>
  createAdapterForTest<GitlabTarget>(`vendor: gitlab\nurl: ${URL}\ntoken: \${TOKEN}\nrepositories: ["*/*"]`, { TOKEN: SECRET });

const request: TriggerRequest<GitlabTarget> = {
  target: { project: 42 },
  repository: { owner: "acme", name: "app", fullName: "acme/app", cloneUrl: "https://github.com/acme/app.git", htmlUrl: "https://github.com/acme/app" },
  sha: SHA,
  ref: "main",
  refType: "branch",
  variables: { RELAY_SHA: SHA, RELAY_RUN_ID: OUR_RELAY_RUN_ID },
  description: "test",
};

/** A pipeline as "List project pipelines" shows it (the doc's example, with our ref, sha and times). */
function listed(id: number, overrides: Record<string, unknown> = {}) {
  const [example] = gitlabFixture<Array<Record<string, unknown>>>("pipelines_list");
  return { ...example, id, ref: "main", sha: SHA, web_url: `${URL}/acme/app/-/pipelines/${id}`, created_at: "2026-12-01T10:00:02.000Z", ...overrides };
}

/** The doc's variables example plus the relay's own variables. */
function variablesWith(relayRunId: string | null | undefined) {
  const base = vendorFixture<Array<Record<string, unknown>>>("gitlab", "pipeline_variables");
  if (relayRunId === undefined) return base;
  return [...base, { key: "RELAY_SHA", variable_type: "env_var", value: SHA }, { key: "RELAY_RUN_ID", variable_type: "env_var", value: relayRunId }];
}

function listsPipelines(pipelines: object[], page = 1) {
  return nock(URL, { reqheaders: { "private-token": SECRET } })
    .get(PIPELINES)
    .query({ ref: "main", updated_after: UPDATED_AFTER, order_by: "id", sort: "desc", per_page: "50", page: String(page) })
    .reply(200, pipelines);
}

function hasVariables(id: number, relayRunId: string | null | undefined) {
  nock(URL).get(`${PIPELINES}/${id}/variables`).reply(200, variablesWith(relayRunId));
}

describeFindRunContract<GitlabTarget>("gitlab", {
  vendor: "gitlab",
  createAdapter,
  request,
  since: SINCE,
  acceptsTrigger: (runId) => void nock(URL).post("/api/v4/projects/42/pipeline").reply(201, { ...gitlabFixture("pipeline_create"), id: Number(runId) }),
  listsRuns: (runs: ListedRun[]) => {
    listsPipelines(runs.map((run) => listed(Number(run.runId))));
    // Variables are read newest first until ours turns up.
    for (const run of runs) {
      hasVariables(Number(run.runId), run.relayRunId);
      if (run.relayRunId === OUR_RELAY_RUN_ID) break;
    }
  },
  listFails: {
    status: 404,
    mustMention: ["HTTP 404", "404 Project Not Found"],
    setup: () => void nock(URL).get(PIPELINES).query(true).reply(404, gitlabFixture("error_404.project")),
  },
});

describe("gitlab findRun: what it can and cannot tell", () => {
  const find = () => createAdapter().adapter.findRun!(request, SINCE);

  it("treats pipelines without RELAY_RUN_ID (pushes, schedules, people) as not ours", async () => {
    listsPipelines([listed(201, { source: "push" })]);
    hasVariables(201, undefined);
    await expect(find()).resolves.toBeNull();
  });

  it("finds our pipeline although the branch moved on and GitLab built a newer commit", async () => {
    listsPipelines([listed(203, { sha: "b".repeat(40) })]);
    hasVariables(203, OUR_RELAY_RUN_ID);
    await expect(find()).resolves.toEqual({ runId: "203", webUrl: `${URL}/acme/app/-/pipelines/203` });
  });

  it("asks pipelines of the request's commit first", async () => {
    listsPipelines([listed(205, { sha: "c".repeat(40) }), listed(204)]);
    hasVariables(204, OUR_RELAY_RUN_ID);
    expect((await find())?.runId).toBe("204");
  });

  it("ignores pipelines created before the trigger (only updated since)", async () => {
    listsPipelines([listed(206, { created_at: "2026-11-30T08:00:00.000Z" })]);
    await expect(find()).resolves.toBeNull();
  });

  it("cannot confirm when GitLab hides the variable's value", async () => {
    listsPipelines([listed(207)]);
    hasVariables(207, null);
    await expect(find()).rejects.toThrow(/cannot tell whether the lost trigger started a run: pipeline 207: GitLab does not show the value of RELAY_RUN_ID/);
  });

  it("rules out every pipeline of a busy branch before saying there is none (a burst: 30 others since the trigger)", async () => {
    const others = Array.from({ length: 30 }, (_, index) => listed(400 - index, { sha: `${index}`.padStart(40, "e") }));
    listsPipelines(others);
    for (const pipeline of others) hasVariables(pipeline.id, "9999");
    await expect(find()).resolves.toBeNull();
  });

  it("cannot confirm when more pipelines ran since the trigger than it inspects", async () => {
    const many = Array.from({ length: 52 }, (_, index) => listed(300 - index));
    listsPipelines(many.slice(0, 50));
    listsPipelines(many.slice(50), 2);
    for (const pipeline of many.slice(0, 50)) hasVariables(pipeline.id, "9999");
    const error = await find().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(VendorError);
    expect((error as VendorError).message).toContain("more runs since the trigger than the 50 inspected");
  });

  it("fails loudly when the list has an unexpected shape", async () => {
    nock(URL).get(PIPELINES).query(true).reply(200, { pipelines: [] });
    await expect(find()).rejects.toThrow(/^gitlab findRun failed: unexpected response/);
  });
});
