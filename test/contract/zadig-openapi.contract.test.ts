import { VendorError } from "../../src/errors.js";
import type { ZadigTarget } from "../../src/vendors/zadig/schema.js";
import { createAdapterForTest } from "../helpers/adapter.js";
import { vendorFixture } from "../helpers/fixtures.js";
import { zadigApi } from "../helpers/zadig-api.js";
import { describeAdapterContract } from "./vendor-adapter.contract.js";
import { connectionYaml, requestFor, TARGETS, zadigHarness } from "./zadig-harness.js";

describeAdapterContract<ZadigTarget>("zadig (openapi)", zadigHarness("openapi"));

const adapter = (extra = "") => createAdapterForTest<ZadigTarget>(connectionYaml("openapi", extra), { ZADIG_TOKEN: "zadig-token-123" }).adapter;
const run = { runId: "17" };
const target = TARGETS.openapi;

describe("zadig (openapi): custom workflow tasks", () => {
  it("links the task page, with the display name once Zadig reported it", async () => {
    zadigApi("openapi").startsTask(17);
    expect((await adapter().trigger(requestFor("openapi"))).webUrl).toBe("https://zadig.example.com/v1/projects/detail/proxy/pipelines/custom/build-deploy/17");

    zadigApi("openapi").reportsTask(17, "wait_for_approval");
    expect(await adapter("web_url: https://zadig-ui.example.com/").getRun(run, target)).toEqual({
      state: "running",
      vendorStatus: "wait_for_approval",
      waitingForAction: true,
      webUrl: "https://zadig-ui.example.com/v1/projects/detail/proxy/pipelines/custom/build-deploy/17?display_name=build-deploy",
      startedAt: "2023-11-14T22:13:22.000Z",
      finishedAt: undefined,
    });
  });

  it("describes a failure with the failed job and the tail of its log", async () => {
    const log = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join("\n");
    zadigApi("openapi").hasFailure(17, JSON.stringify(log));
    const detail = await adapter().describeFailure!(run, target);
    expect(detail).toContain("- `build` / `build-service1` (failed): build job failed");
    expect(detail).toContain("Last lines of `build-service1`:");
    expect(detail).toContain("line 11\n");
    expect(detail).not.toContain("line 10\n");
    expect(detail).toContain("line 40");
  });

  it("retries the same task id; when Zadig refuses (HTTP 400) it starts a new task", async () => {
    zadigApi("openapi").retries(17);
    expect(await adapter().retry(run, requestFor("openapi"))).toMatchObject({ runId: "17", mode: "native" });

    zadigApi("openapi").refusesRetry(17, vendorFixture("zadig", "error.v17_restart_6164")).startsTask(18);
    expect(await adapter().retry(run, requestFor("openapi"))).toMatchObject({ runId: "18", mode: "new-run" });
  });

  it("fails loudly, before calling Zadig, when the block lacks what the OpenAPI needs", async () => {
    const request = { ...requestFor("openapi"), target: { ...target, codehost: undefined } };
    const error = await adapter().trigger(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect((error as VendorError).message).toBe(
      "zadig trigger failed: the pipeline's zadig block has no `codehost`, which the openapi API needs (Zadig's name for the code host that holds this repository)",
    );
  });
});
