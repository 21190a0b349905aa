import { VendorError } from "../../../../src/errors.js";
import { describeCodeartsError, describeIamError } from "../../../../src/vendors/codearts/errors.js";
import type { CodeartsTarget } from "../../../../src/vendors/codearts/schema.js";
import type { TriggerRequest } from "../../../../src/vendors/types.js";
import { createAdapterForTest } from "../../../helpers/adapter.js";
import { codeartsApi, codeartsFixture, PIPELINE_ID, PIPELINE_PATH, PROJECT_ID } from "../../../helpers/codearts-api.js";

const KEYS = { accessKey: "HPUAEXAMPLEACCESSKEY", secretKey: "error-in-200-secret-key" };
const TARGET: CodeartsTarget = { project_id: PROJECT_ID, pipeline_id: PIPELINE_ID, source: { git_type: "github" }, event_type: "Manual" };
const REQUEST: TriggerRequest<CodeartsTarget> = {
  target: TARGET,
  repository: { owner: "acme", name: "app", fullName: "acme/app", cloneUrl: "https://github.com/acme/app.git", htmlUrl: "https://github.com/acme/app" },
  sha: "b".repeat(40),
  ref: "main",
  refType: "branch",
  variables: {},
  description: "test",
};
const RUN_ID = "de6c9098f45a4ac58a6efc9c1b81df82";
const NOT_FOUND = codeartsFixture("error_in_200.devcp_00012002");

function setup() {
  const made = createAdapterForTest<CodeartsTarget>(
    `vendor: codearts\nregion: cn-north-4\naccess_key: \${CA_AK}\nsecret_key: \${CA_SK}\nrepositories: ["*/*"]`,
    { CA_AK: KEYS.accessKey, CA_SK: KEYS.secretKey },
  );
  return { ...made, api: codeartsApi({ kind: "aksk", ...KEYS }) };
}

async function failure(promise: Promise<unknown>): Promise<VendorError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(VendorError);
  return error as VendorError;
}

describe("CodeArts answers that carry error_code in HTTP 200", () => {
  it("a start queued per pipeline (DEVPIPE.00011169) is a run: its id from the error part, the queue id kept", async () => {
    const { adapter, api, logs } = setup();
    api.queuesRun(RUN_ID, "0a1b2c3d4e5f40718293a4b5c6d7e8f9");
    expect(await adapter.trigger(REQUEST)).toEqual({ runId: RUN_ID, extra: { queue_id: "0a1b2c3d4e5f40718293a4b5c6d7e8f9" } });
    expect(logs.some((line) => line.includes("queued the run") && line.includes(RUN_ID))).toBe(true);
  });

  it("a start queued per tenant (DEVPIPE.00011170) is a run too; a numeric queue id is kept as text", async () => {
    const { adapter, api } = setup();
    api.failsToStart(200, { error_code: "DEVPIPE.00011170", error_msg: "tenant limit", error: { pipeline_run_id: RUN_ID, queue_id: 42 } });
    expect(await adapter.trigger(REQUEST)).toEqual({ runId: RUN_ID, extra: { queue_id: "42" } });
  });

  it("a queue answer without a run id is an error, not a guess", async () => {
    const { adapter, api } = setup();
    api.failsToStart(200, { error_code: "DEVPIPE.00011169", error_msg: "queued", error: {} });
    const error = await failure(adapter.trigger(REQUEST));
    expect(error.message).toBe("codearts trigger failed: DEVPIPE.00011169: the run was queued, but the answer carries no error.pipeline_run_id");
  });

  it("any other error_code on a start is a VendorError with code and message", async () => {
    const { adapter, api } = setup();
    api.failsToStart(200, NOT_FOUND);
    const error = await failure(adapter.trigger(REQUEST));
    expect(error).toMatchObject({ operation: "trigger", status: 200, vendorCode: "DEVCP.00012002", retryable: false });
    expect(error.message).toBe("codearts trigger failed: HTTP 200 with an error: DEVCP.00012002: 数据库中不存在相关记录");
  });

  it("the status call is checked too, and a queue code there is an error as well", async () => {
    const { adapter, api } = setup();
    api.failsToReport(RUN_ID, 200, NOT_FOUND).failsToReport(RUN_ID, 200, codeartsFixture("pipeline_run.queued"));
    expect((await failure(adapter.getRun({ runId: RUN_ID }, TARGET))).vendorCode).toBe("DEVCP.00012002");
    expect((await failure(adapter.getRun({ runId: RUN_ID }, TARGET))).vendorCode).toBe("DEVPIPE.00011169");
  });

  it("stop: an error_code or success: false is a failed cancel", async () => {
    const { adapter, api } = setup();
    const stop = `${PIPELINE_PATH}/pipeline-runs/${RUN_ID}/stop`;
    api.scope.post(stop).reply(200, NOT_FOUND).post(stop).reply(200, { success: false });
    expect((await failure(adapter.cancel({ runId: RUN_ID }, TARGET))).vendorCode).toBe("DEVCP.00012002");
    expect((await failure(adapter.cancel({ runId: RUN_ID }, TARGET))).message).toBe("codearts cancel failed: CodeArts answered success: false to the stop request");
  });

  it("retry: an error_code or success: false is a failed retry; a queued retry keeps the run id", async () => {
    const { adapter, api } = setup();
    api.retries(RUN_ID, NOT_FOUND).retries(RUN_ID, { success: false }).retries(RUN_ID, { error_code: "DEVPIPE.00011169", error_msg: "queued", error: { queue_id: "q-7" } });
    expect((await failure(adapter.retry({ runId: RUN_ID }, REQUEST))).vendorCode).toBe("DEVCP.00012002");
    expect((await failure(adapter.retry({ runId: RUN_ID }, REQUEST))).message).toContain("success: false");
    expect(await adapter.retry({ runId: RUN_ID }, REQUEST)).toEqual({ runId: RUN_ID, extra: { queue_id: "q-7" }, mode: "native" });
  });
});

describe("cancelling a queued run", () => {
  const QUEUE = "0a1b2c3d4e5f40718293a4b5c6d7e8f9";

  it("leaves the queue through cancel-queuing while CodeArts still reports QUEUED", async () => {
    const { adapter, api } = setup();
    api.reportsRun(RUN_ID, "running", { status: "QUEUED" }).cancelsQueuing(RUN_ID, QUEUE);
    await adapter.cancel({ runId: RUN_ID, extra: { queue_id: QUEUE } }, TARGET);
  });

  it("stops a once-queued run that has started meanwhile", async () => {
    const { adapter, api } = setup();
    api.reportsRun(RUN_ID, "running").stops(RUN_ID);
    await adapter.cancel({ runId: RUN_ID, extra: { queue_id: QUEUE } }, TARGET);
  });

  it("checks the cancel-queuing answer for an error_code", async () => {
    const { adapter, api } = setup();
    api.reportsRun(RUN_ID, "running", { status: "QUEUED" });
    api.scope.post(`${PIPELINE_PATH}/${RUN_ID}/cancel-queuing/${QUEUE}`).reply(200, { error_code: "DEVPIPE.00011999", error_msg: "no such queue" });
    expect((await failure(adapter.cancel({ runId: RUN_ID, extra: { queue_id: QUEUE } }, TARGET))).message).toContain("DEVPIPE.00011999: no such queue");
  });
});

describe("error bodies", () => {
  it("reads {error_code, error_msg} of CodeArts and of the API gateway", () => {
    expect(describeCodeartsError(codeartsFixture("error_401.apig_token"))).toEqual({ code: "APIG.0301", message: "Incorrect IAM authentication information: decrypt token fail" });
    expect(describeCodeartsError(codeartsFixture("error_500.devcp_00010000"))).toEqual({ code: "DEVCP.00010000", message: "未知服务异常" });
    expect(describeCodeartsError("Bad Gateway")).toBeUndefined();
  });

  it("reads IAM's Keystone-style body and the gateway's", () => {
    expect(describeIamError(codeartsFixture("iam_error_401"))).toEqual({ message: "The username or password is wrong." });
    expect(describeIamError({ error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" })).toEqual({ code: "APIGW.0301", message: "Incorrect IAM authentication information" });
  });
});
