import nock from "nock";
import { describeWithRelayRunId } from "../../src/vendors/codearts/find-run.js";
import type { CodeartsTarget } from "../../src/vendors/codearts/schema.js";
import type { TriggerRequest } from "../../src/vendors/types.js";
import { createAdapterForTest } from "../helpers/adapter.js";
import { codeartsApi, codeartsFixture, iamApi, PIPELINE_ID, PIPELINE_PATH, PROJECT_ID, REGION, runDetailBody, type ApiAuth } from "../helpers/codearts-api.js";
import { describeFindRunContract, OUR_RELAY_RUN_ID, type ListedRun } from "./find-run.contract.js";

const SHA = "a".repeat(40);
const SINCE = Date.parse("2026-12-01T10:00:00Z");
const TOKEN = "MIIfind-run-token";
const ACCESS_KEY = "QTWAOYTTINDUT2QVKYUC";
const SECRET_KEY = "codearts-find-run-secret-key";
const LIST_BODY = { offset: 0, limit: 20, sort_key: "start_time", sort_dir: "desc" };

const request: TriggerRequest<CodeartsTarget> = {
  target: { project_id: PROJECT_ID, pipeline_id: PIPELINE_ID, source: { git_type: "github" }, event_type: "Manual" },
  repository: { owner: "acme", name: "app", fullName: "acme/app", cloneUrl: "https://github.com/acme/app.git", htmlUrl: "https://github.com/acme/app" },
  sha: SHA,
  ref: "main",
  refType: "branch",
  variables: { RELAY_SHA: SHA, RELAY_RUN_ID: OUR_RELAY_RUN_ID },
  description: "GitHub acme/app@aaaaaaa via pipeline-relay",
};

/** A run as ListPipelineRuns shows it: the documented example with our branch, commit and a start after the trigger. */
function listedRun(runId: string, change: { trigger_type?: string; commit_id?: string; target_branch?: string; start_time?: number } = {}) {
  const [example] = codeartsFixture("pipeline_runs_list").pipeline_runs;
  return {
    ...example,
    pipeline_run_id: runId,
    trigger_type: change.trigger_type ?? "Manual",
    start_time: change.start_time ?? SINCE + 2_000,
    build_params: { ...example.build_params, commit_id: change.commit_id ?? SHA, target_branch: change.target_branch ?? "main", event_type: "Manual" },
  };
}

for (const form of ["aksk", "iam"] as const) {
  const auth: ApiAuth = form === "iam" ? { kind: "iam", token: TOKEN } : { kind: "aksk", accessKey: ACCESS_KEY, secretKey: SECRET_KEY };
  const connection =
    form === "iam"
      ? `vendor: codearts\nregion: ${REGION}\niam_user: \${CA_USER}\niam_password: \${CA_PASSWORD}\niam_domain: acme-cloud\nrepositories: ["*/*"]`
      : `vendor: codearts\nregion: ${REGION}\naccess_key: \${CA_AK}\nsecret_key: \${CA_SK}\nrepositories: ["*/*"]`;
  const env = { CA_USER: "relay-bot", CA_PASSWORD: "codearts-find-run-password", CA_AK: ACCESS_KEY, CA_SK: SECRET_KEY };
  const createAdapter = () => createAdapterForTest<CodeartsTarget>(connection, env);
  const api = () => {
    if (form === "iam") iamApi().issuesToken(TOKEN, { optional: true });
    return codeartsApi(auth).scope;
  };
  const listsRuns = (runs: object[], body: nock.RequestBodyMatcher = LIST_BODY) => void api().post(`${PIPELINE_PATH}/pipeline-runs/list`, body).reply(200, { offset: 0, limit: 20, total: runs.length, pipeline_runs: runs });
  const describesRun = (runId: string, description: string) =>
    void api().get(`${PIPELINE_PATH}/pipeline-runs/detail`).query({ pipeline_run_id: runId }).reply(200, { ...runDetailBody(runId, "running"), description });
  const find = () => createAdapter().adapter.findRun!(request, SINCE);

  describeFindRunContract<CodeartsTarget>(`codearts (${form})`, {
    vendor: "codearts",
    createAdapter,
    request,
    since: SINCE,
    acceptsTrigger: (runId) => {
      if (form === "iam") iamApi().issuesToken(TOKEN, { optional: true });
      codeartsApi(auth).startsRun(runId, (body) => expect(body.description).toBe(`GitHub acme/app@aaaaaaa via pipeline-relay [RELAY_RUN_ID=${OUR_RELAY_RUN_ID}]`));
    },
    listsRuns: (runs: ListedRun[]) => {
      if (form === "iam") iamApi().issuesToken(TOKEN, { optional: true });
      listsRuns(runs.map((run) => listedRun(run.runId)));
      for (const run of runs) {
        describesRun(run.runId, `GitHub acme/app@aaaaaaa via pipeline-relay [RELAY_RUN_ID=${run.relayRunId}]`);
        if (run.relayRunId === OUR_RELAY_RUN_ID) break;
      }
    },
    listFails: {
      status: 200,
      mustMention: ["HTTP 200 with an error", "DEVCP.00012002"],
      setup: () => void api().post(`${PIPELINE_PATH}/pipeline-runs/list`).reply(200, codeartsFixture("error_in_200.devcp_00012002")),
    },
  });

  describe(`codearts (${form}) findRun: what it can and cannot tell`, () => {
    it("passes over runs started by a push or a merge request without reading them", async () => {
      listsRuns([listedRun("201", { trigger_type: "Push" })]);
      describesRun("201", "");
      await expect(find()).resolves.toBeNull();
    });

    it("does not look at runs of another branch", async () => {
      listsRuns([listedRun("202", { target_branch: "release" })]);
      await expect(find()).resolves.toBeNull();
    });

    it("treats a manual run of another commit without our id as somebody else's", async () => {
      listsRuns([listedRun("203", { commit_id: "b".repeat(40) })]);
      describesRun("203", "");
      await expect(find()).resolves.toBeNull();
    });

    it("cannot confirm a manual run of our commit whose description carries no id", async () => {
      listsRuns([listedRun("204")]);
      describesRun("204", "");
      await expect(find()).rejects.toThrow(/cannot tell whether the lost trigger started a run: run 204: a Manual run of this commit whose description carries no RELAY_RUN_ID/);
    });

    it("stops at runs started before the trigger", async () => {
      const page = Array.from({ length: 20 }, (_, index) => listedRun(String(300 - index), { start_time: index < 2 ? SINCE + 1_000 : SINCE - 3_600_000 }));
      listsRuns(page);
      describesRun("300", "[RELAY_RUN_ID=1]");
      describesRun("299", `x [RELAY_RUN_ID=${OUR_RELAY_RUN_ID}]`);
      expect((await find())?.runId).toBe("299");
    });

    it("fails loudly when the list has an unexpected shape", async () => {
      api().post(`${PIPELINE_PATH}/pipeline-runs/list`).reply(200, { runs: [] });
      await expect(find()).rejects.toThrow(/^codearts findRun failed: unexpected response/);
    });
  });
}

describe("the run description carries the RELAY_RUN_ID", () => {
  it.each([
    ["short", "GitHub acme/app@1234567 via pipeline-relay", "7", 1024, "GitHub acme/app@1234567 via pipeline-relay [RELAY_RUN_ID=7]"],
    ["cut to fit, marker kept", "x".repeat(30), "12", 25, `${"x".repeat(7)} [RELAY_RUN_ID=12]`],
    ["no id: only cut", "x".repeat(30), undefined, 25, "x".repeat(25)],
  ])("%s", (_label, description, id, limit, expected) => {
    const result = describeWithRelayRunId(description, id, limit);
    expect(result).toBe(expected);
    expect(result.length).toBeLessThanOrEqual(limit);
  });
});

