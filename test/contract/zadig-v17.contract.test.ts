import type { ZadigTarget } from "../../src/vendors/zadig/schema.js";
import { createAdapterForTest } from "../helpers/adapter.js";
import { zadigApi } from "../helpers/zadig-api.js";
import { describeAdapterContract } from "./vendor-adapter.contract.js";
import { connectionYaml, requestFor, TARGETS, zadigHarness } from "./zadig-harness.js";

describeAdapterContract<ZadigTarget>("zadig (v1.7)", zadigHarness("v1.7"));

const adapter = () => createAdapterForTest<ZadigTarget>(connectionYaml("v1.7"), { ZADIG_TOKEN: "zadig-token-123" }).adapter;
const target = TARGETS["v1.7"];

describe("zadig (v1.7): product workflow tasks", () => {
  it("links the product workflow's task page and keeps the pipeline name Zadig answered", async () => {
    zadigApi("v1.7").startsTask(16);
    expect(await adapter().trigger(requestFor("v1.7"))).toEqual({
      runId: "16",
      webUrl: "https://zadig.example.com/v1/projects/detail/proxy/pipelines/multi/proxy-workflow-dev/16",
      extra: { pipeline: "proxy-workflow-dev" },
    });
  });

  it("reads unix-second times and the vendor's word", async () => {
    zadigApi("v1.7").reportsBody(16, { task_id: 16, status: "passed", start_time: 1639466318, end_time: 1639466354 });
    expect(await adapter().getRun({ runId: "16" }, target)).toMatchObject({
      state: "success",
      vendorStatus: "passed",
      startedAt: "2021-12-14T07:18:38.000Z",
      finishedAt: "2021-12-14T07:19:14.000Z",
    });
  });

  it("treats a task without a status (not scheduled yet) as queued", async () => {
    zadigApi("v1.7").reportsBody(16, { task_id: 16, stages: [] });
    expect(await adapter().getRun({ runId: "16" }, target)).toMatchObject({ state: "queued", vendorStatus: "" });
  });

  it("describes a failure with the failed stage and the task's error", async () => {
    zadigApi("v1.7").hasFailure(16);
    expect(await adapter().describeFailure!({ runId: "16" }, target)).toBe("Failed:\n- stage `buildv2` (failed)\n- task: build failed");
  });
});
