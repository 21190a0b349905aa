import { runBody } from "../../../../src/vendors/codearts/adapter.js";
import type { CodeartsTarget } from "../../../../src/vendors/codearts/schema.js";
import type { TriggerRequest } from "../../../../src/vendors/types.js";
import { createAdapterForTest } from "../../../helpers/adapter.js";
import { codeartsApi, PIPELINE_ID, PROJECT_ID } from "../../../helpers/codearts-api.js";

const KEYS = { accessKey: "HPUAEXAMPLEACCESSKEY", secretKey: "snapshot-test-secret-key" };
const RUN_ID = "de6c9098f45a4ac58a6efc9c1b81df82";
const TARGET: CodeartsTarget = { project_id: PROJECT_ID, pipeline_id: PIPELINE_ID, source: { git_type: "github" }, event_type: "Manual" };

function setup() {
  const { adapter } = createAdapterForTest<CodeartsTarget>(
    `vendor: codearts\nregion: cn-north-4\naccess_key: \${CA_AK}\nsecret_key: \${CA_SK}\nrepositories: ["*/*"]`,
    { CA_AK: KEYS.accessKey, CA_SK: KEYS.secretKey },
  );
  return { adapter, api: codeartsApi({ kind: "aksk", ...KEYS }) };
}

describe("CodeArts run snapshot", () => {
  it("reads status, times (epoch ms) and the run's detail_url", async () => {
    const { adapter, api } = setup();
    api.reportsRun(RUN_ID, "completed");
    expect(await adapter.getRun({ runId: RUN_ID }, TARGET)).toEqual({
      state: "success",
      vendorStatus: "COMPLETED",
      webUrl: `https://devcloud.cn-north-4.huaweicloud.com/cicd/project/93d8e0553c20411fba06bb112b5b59af/pipeline/detail/794514e0a3184e5db0a4740112deee0f/${RUN_ID}`,
      startedAt: "2024-06-01T02:00:00.000Z",
      finishedAt: "2024-06-01T02:02:10.000Z",
      builtSha: undefined,
      waitingForAction: false,
    });
  });

  it("reports the built commit when the code source's build params carry one, and a PAUSED gate as waiting", async () => {
    const { adapter, api } = setup();
    api.reportsRun(RUN_ID, "running", { status: "PAUSED", commitId: "990EA057751D299F5575AAC25BF97E88A60B461E" });
    expect(await adapter.getRun({ runId: RUN_ID }, TARGET)).toMatchObject({
      state: "running",
      builtSha: "990ea057751d299f5575aac25bf97e88a60b461e",
      waitingForAction: true,
      finishedAt: undefined,
    });
  });
});

describe("RunPipeline body", () => {
  const request: TriggerRequest<CodeartsTarget> = {
    target: { ...TARGET, source: { git_type: "codehub", codehub_id: "2111883381", alias: "backend" } },
    repository: { owner: "acme", name: "app", fullName: "acme/app", cloneUrl: "https://github.com/acme/app.git", htmlUrl: "https://github.com/acme/app" },
    sha: "c".repeat(40),
    ref: "v1.2.0",
    refType: "tag",
    variables: { DEPLOY_ENV: "staging", RELAY_SHA: "c".repeat(40) },
    description: "x".repeat(1500),
  };

  it("runs a tag by tag name, keeps the configured source and cuts the description at 1024 characters", () => {
    const body = runBody(request);
    expect(body.sources).toEqual([
      { type: "code", params: { git_type: "codehub", git_url: undefined, codehub_id: "2111883381", alias: "backend", endpoint_id: undefined, default_branch: undefined, build_params: { build_type: "tag", tag: "v1.2.0", event_type: "Manual" } } },
    ]);
    expect(body.description).toHaveLength(1024);
    expect(body.variables).toEqual([
      { name: "DEPLOY_ENV", value: "staging" },
      { name: "RELAY_SHA", value: "c".repeat(40) },
    ]);
  });

  it("sends the pull request number in change_request_ids", () => {
    const body = runBody({ ...request, ref: "feature", refType: "branch", pullRequest: { number: 7, headRef: "feature", baseRef: "main", headSha: "c".repeat(40) } });
    expect(body.sources[0]!.params).toMatchObject({ build_params: { build_type: "branch", target_branch: "feature" }, change_request_ids: ["7"] });
  });
});
