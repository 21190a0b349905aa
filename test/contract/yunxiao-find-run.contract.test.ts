import type { YunxiaoTarget } from "../../src/vendors/yunxiao/schema.js";
import type { TriggerRequest } from "../../src/vendors/types.js";
import { createAdapterForTest } from "../helpers/adapter.js";
import { vendorFixture } from "../helpers/fixtures.js";
import { FLOW_ORGANIZATION, FLOW_PIPELINE, FLOW_REGION_URL, FLOW_TOKEN, flowRun, yunxiaoApi, type FlowEdition } from "../helpers/yunxiao-api.js";
import { describeFindRunContract, OUR_RELAY_RUN_ID, type ListedRun } from "./find-run.contract.js";

const SHA = "a".repeat(40);
const SINCE = Date.parse("2026-12-01T10:00:00Z");
const CLONE_URL = "https://github.com/acme/app.git";

const request: TriggerRequest<YunxiaoTarget> = {
  target: { pipeline_id: FLOW_PIPELINE },
  repository: { owner: "acme", name: "app", fullName: "acme/app", cloneUrl: CLONE_URL, htmlUrl: "https://github.com/acme/app" },
  sha: SHA,
  ref: "main",
  refType: "branch",
  variables: { RELAY_SHA: SHA, RELAY_RUN_ID: OUR_RELAY_RUN_ID },
  description: "test",
};

/** A ListPipelineRuns item: the documented example with our pipeline, a start after the trigger and a manual trigger. */
function listedRun(runId: number, change: { triggerMode?: number; startTime?: number } = {}) {
  const [example] = vendorFixture("yunxiao", "pipeline_runs_list");
  return { ...example, pipelineId: FLOW_PIPELINE, pipelineRunId: runId, startTime: change.startTime ?? SINCE + 2_000, triggerMode: change.triggerMode ?? 1 };
}

/** A GetPipelineRun body building our branch, with these globalParams (the example's own `key` param kept). */
function runWith(runId: number, params: Array<{ key: string; value: string; encrypted?: boolean }>, branch = "main") {
  return flowRun("running", runId, undefined, {
    repo: CLONE_URL,
    adjust: (run) => {
      run.sources[0].data.branch = branch;
      run.globalParams = [...run.globalParams, ...params.map((param) => ({ encrypted: false, ...param }))];
    },
  });
}

for (const edition of ["central", "region"] as FlowEdition[]) {
  const connection =
    edition === "central"
      ? `vendor: yunxiao\nedition: central\norganization_id: ${FLOW_ORGANIZATION}\ntoken: \${TOKEN}\nrepositories: ["*/*"]`
      : `vendor: yunxiao\nedition: region\nurl: ${FLOW_REGION_URL}\ntoken: \${TOKEN}\nweb_url: ${FLOW_REGION_URL}/flow/{pipelineId}/{runId}\nrepositories: ["*/*"]`;
  const createAdapter = () => createAdapterForTest<YunxiaoTarget>(connection, { TOKEN: FLOW_TOKEN });
  const api = () => yunxiaoApi({ edition });
  const runsPath = `${edition === "central" ? `/oapi/v1/flow/organizations/${FLOW_ORGANIZATION}` : "/oapi/v1/flow"}/pipelines/${FLOW_PIPELINE}/runs`;
  const listsRuns = (runs: object[]) =>
    void api().scope.get(runsPath).query({ perPage: "30", page: "1", startTime: String(SINCE - 300_000) }).reply(200, runs);
  const find = () => createAdapter().adapter.findRun!(request, SINCE);

  describeFindRunContract<YunxiaoTarget>(`yunxiao (${edition} edition)`, {
    vendor: "yunxiao",
    createAdapter,
    request,
    since: SINCE,
    acceptsTrigger: (runId) => void api().startsRun(Number(runId)),
    listsRuns: (runs: ListedRun[]) => {
      listsRuns(runs.map((run) => listedRun(Number(run.runId))));
      for (const run of runs) {
        api().reportsRun(Number(run.runId), runWith(Number(run.runId), [{ key: "RELAY_RUN_ID", value: run.relayRunId }]));
        if (run.relayRunId === OUR_RELAY_RUN_ID) break;
      }
    },
    listFails: {
      status: 401,
      mustMention: ["HTTP 401", "InvalidTokenError"],
      setup: () => void api().scope.get(runsPath).query(true).reply(401, vendorFixture("yunxiao", "error_401.invalid_token")),
    },
  });

  describe(`yunxiao (${edition} edition) findRun: what it can and cannot tell`, () => {
    it("does not look at runs started by a schedule, a push or another pipeline", async () => {
      listsRuns([listedRun(201, { triggerMode: 2 }), listedRun(202, { triggerMode: 3 }), listedRun(203, { triggerMode: 5 })]);
      await expect(find()).resolves.toBeNull();
    });

    it("passes over a run of our repository built from another branch", async () => {
      listsRuns([listedRun(204)]);
      api().reportsRun(204, runWith(204, [], "release"));
      await expect(find()).resolves.toBeNull();
    });

    it("cannot confirm a run of our branch that lists no RELAY_RUN_ID", async () => {
      listsRuns([listedRun(205)]);
      api().reportsRun(205, runWith(205, []));
      await expect(find()).rejects.toThrow(/cannot tell whether the lost trigger started a run: run 205: no RELAY_RUN_ID among its globalParams/);
    });

    it("cannot confirm when Flow hides the value", async () => {
      listsRuns([listedRun(206)]);
      api().reportsRun(206, runWith(206, [{ key: "RELAY_RUN_ID", value: "", encrypted: true }]));
      await expect(find()).rejects.toThrow(/run 206: Flow hides the value of RELAY_RUN_ID/);
    });

    it("ignores runs that started before the trigger", async () => {
      listsRuns([listedRun(207, { startTime: SINCE - 3_600_000 })]);
      await expect(find()).resolves.toBeNull();
    });

    it("fails loudly when globalParams is not the documented list", async () => {
      listsRuns([listedRun(208)]);
      api().reportsRun(208, { ...runWith(208, []), globalParams: { RELAY_RUN_ID: OUR_RELAY_RUN_ID } });
      await expect(find()).rejects.toThrow(/^yunxiao findRun failed: unexpected response/);
    });
  });
}
