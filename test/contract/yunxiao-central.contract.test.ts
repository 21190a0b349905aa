import { describeAdapterContract } from "./vendor-adapter.contract.js";
import { yunxiaoHarness } from "./yunxiao-harness.js";

describeAdapterContract("yunxiao (central edition)", yunxiaoHarness("central"));

import { VendorError } from "../../src/errors.js";
import type { YunxiaoTarget } from "../../src/vendors/yunxiao/schema.js";
import { createAdapterForTest } from "../helpers/adapter.js";
import { flowRun, yunxiaoApi } from "../helpers/yunxiao-api.js";

describe("yunxiao (central edition): answers that are errors", () => {
  const TOKEN = "pt-envelope0fh3Q0fbG_35af0484";
  const adapter = () =>
    createAdapterForTest<YunxiaoTarget>(`vendor: yunxiao\nedition: central\norganization_id: 5ebbc0228123212b59aaaaa\ntoken: \${T}\nrepositories: ["*/*"]`, { T: TOKEN }).adapter;
  const target = { pipeline_id: 3184679 };

  it.each([
    ["{success: false}", { success: false }, "Yunxiao Flow refused to stop run 101: success: false"],
    ["{errorCode, errorMessage}", { errorCode: "NotFound", errorMessage: "运行不存在" }, "Yunxiao Flow refused to stop run 101: NotFound 运行不存在"],
    ["an unrelated object", { foo: 1 }, "unexpected response to stop run 101"],
  ])("the run-level stop answering %s is not a cancel", async (_label, body, says) => {
    yunxiaoApi({ token: TOKEN }).answersError("run-stop", 101, 0, body);
    const error = await adapter().cancel({ runId: "101" }, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect((error as VendorError).message).toContain(says);
  });

  it("keeps a run id above 2^53 exact", async () => {
    yunxiaoApi({ token: TOKEN }).answersStart(200, "9007199254740993", 1, { "content-type": "application/json" });
    const run = await adapter().trigger({
      target,
      repository: { owner: "acme", name: "app", fullName: "acme/app", cloneUrl: "https://github.com/acme/app.git", htmlUrl: "https://github.com/acme/app" },
      sha: "a".repeat(40),
      ref: "main",
      refType: "branch",
      variables: {},
      description: "test",
    });
    expect(run.runId).toBe("9007199254740993");
  });

  it("matches status words without regard to case, and notes a word it does not know", async () => {
    yunxiaoApi({ token: TOKEN }).reportsRun(101, flowRun("fail", 101, "Fail")).reportsRun(101, flowRun("running", 101, "HOVERING"));
    const flow = adapter();
    expect((await flow.getRun({ runId: "101" }, target)).state).toBe("failure");
    expect(await flow.getRun({ runId: "101" }, target)).toMatchObject({
      state: "running",
      unknownStatusNote: "Yunxiao Flow said `HOVERING`; treating it as running until it reports a known status or the run times out.",
    });
  });
});
