import type { ZadigTarget } from "../../src/vendors/zadig/schema.js";
import { createAdapterForTest } from "../helpers/adapter.js";
import { vendorFixture } from "../helpers/fixtures.js";
import { zadigApi } from "../helpers/zadig-api.js";
import { describeAdapterContract } from "./vendor-adapter.contract.js";
import { connectionYaml, requestFor, TARGETS, zadigHarness } from "./zadig-harness.js";

describeAdapterContract<ZadigTarget>("zadig (pipeline-v2)", zadigHarness("pipeline-v2"));

const adapter = () => createAdapterForTest<ZadigTarget>(connectionYaml("pipeline-v2"), { ZADIG_TOKEN: "zadig-token-123" }).adapter;

describe("zadig (pipeline-v2): the predecessor's pipeline tasks", () => {
  it("shows no task link: no UI path for single pipelines is documented", async () => {
    zadigApi("pipeline-v2").startsTask(7);
    expect(await adapter().trigger(requestFor("pipeline-v2"))).toEqual({ runId: "7", webUrl: undefined, extra: { pipeline: "test-pipeline" } });
  });

  it("offers the testing sub-task's threshold from the definition as the vendor threshold", async () => {
    const target: ZadigTarget = {
      ...TARGETS["pipeline-v2"],
      definition: {
        type: "pipeline-v2",
        description: "",
        enabled: true,
        sub_tasks: [
          { type: "build", repo_owner: "acme", repo_name: "app", branch: "main" },
          { type: "testing", product_name: "spock-kube", group_name: "spock-test", service_name: "t", container_name: "t", threshold: 90, command: "make test", result_path: "out" },
        ],
      },
    };
    zadigApi("pipeline-v2").reportsBody(7, vendorFixture("zadig", "v2_task_detail.passed.schema"));
    expect(await adapter().getTestSummary({ runId: "7" }, target)).toEqual({
      total: 50,
      passed: 50,
      failed: 0,
      skipped: 0,
      errored: 0,
      source: "Zadig pipeline test reports",
      vendorThreshold: 90,
    });
  });
});
