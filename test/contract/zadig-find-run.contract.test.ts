import nock from "nock";
import type { TriggerRequest } from "../../src/vendors/types.js";
import type { ZadigTarget } from "../../src/vendors/zadig/schema.js";
import { createAdapterForTest } from "../helpers/adapter.js";
import { vendorFixture } from "../helpers/fixtures.js";
import { ZADIG_URL, zadigApi } from "../helpers/zadig-api.js";
import { describeFindRunContract, OUR_RELAY_RUN_ID, type ListedRun } from "./find-run.contract.js";
import { connectionYaml, requestFor } from "./zadig-harness.js";

const TOKEN = "zadig-find-run-token-77";
const SINCE = Date.parse("2026-12-01T10:00:00Z");
const AFTER = Math.floor(SINCE / 1000) + 2;
const LIST_PATH = "/openapi/workflows/custom/build-deploy/tasks";

const request: TriggerRequest<ZadigTarget> = {
  ...requestFor("openapi"),
  variables: { ...requestFor("openapi").variables, RELAY_RUN_ID: OUR_RELAY_RUN_ID },
};
const createAdapter = (api: "openapi" | "v1.7" | "pipeline-v2" = "openapi") =>
  createAdapterForTest<ZadigTarget>(connectionYaml(api), { ZADIG_TOKEN: TOKEN });
const find = () => createAdapter().adapter.findRun!(request, SINCE);

/** The task list built from `OpenAPIWorkflowV4TaskListResp`, with these task ids and creation times. */
function listsTasks(tasks: Array<{ id: number; created?: number }>, pageNum = 1) {
  const [example] = vendorFixture("zadig", "openapi_task_list.schema").workflow_tasks;
  const body = { total: tasks.length, workflow_tasks: tasks.map((task) => ({ ...example, task_id: task.id, create_time: task.created ?? AFTER })) };
  nock(ZADIG_URL, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
    .get(LIST_PATH)
    .query({ projectKey: "proxy", pageNum: String(pageNum), pageSize: "20" })
    .reply(200, body);
}

/** The task detail example with these workflow parameters. */
function hasParams(taskId: number, params: Array<{ name: string; value: string; is_credential?: boolean }>) {
  const body = { ...vendorFixture("zadig", "openapi_task_detail.running.schema"), task_id: taskId, params: params.map((p) => ({ type: "string", is_credential: false, ...p })) };
  nock(ZADIG_URL).get("/openapi/workflows/custom/task").query({ taskId: String(taskId), workflowKey: "build-deploy" }).reply(200, body);
}

describeFindRunContract<ZadigTarget>("zadig (openapi)", {
  vendor: "zadig",
  createAdapter: () => createAdapter(),
  request,
  since: SINCE,
  acceptsTrigger: (runId) => void zadigApi("openapi", { token: TOKEN }).startsTask(Number(runId)),
  listsRuns: (runs: ListedRun[]) => {
    listsTasks(runs.map((run) => ({ id: Number(run.runId) })));
    for (const run of runs) {
      hasParams(Number(run.runId), [{ name: "RELAY_RUN_ID", value: run.relayRunId }]);
      if (run.relayRunId === OUR_RELAY_RUN_ID) break;
    }
  },
  listFails: {
    status: 500,
    mustMention: ["HTTP 500", "Internal Error"],
    // A GET: tried again inside the call (the test client allows two retries) before it fails.
    setup: () => void nock(ZADIG_URL).get(LIST_PATH).query(true).times(3).reply(500, vendorFixture("zadig", "error.internal_500")),
  },
});

describe("zadig findRun: what it can and cannot tell", () => {
  it("cannot confirm a task when the workflow declares no RELAY_RUN_ID parameter", async () => {
    listsTasks([{ id: 30 }]);
    hasParams(30, [{ name: "DEPLOY_ENV", value: "staging" }]);
    await expect(find()).rejects.toThrow(/task 30: no RELAY_RUN_ID parameter \(declare a workflow parameter RELAY_RUN_ID so Zadig keeps it\)/);
  });

  it("treats a task started by hand (the parameter's default) as somebody else's", async () => {
    listsTasks([{ id: 31 }]);
    hasParams(31, [{ name: "RELAY_RUN_ID", value: "" }]);
    await expect(find()).resolves.toBeNull();
  });

  it("cannot confirm when the parameter is a credential Zadig hides", async () => {
    listsTasks([{ id: 32 }]);
    hasParams(32, [{ name: "RELAY_RUN_ID", value: "", is_credential: true }]);
    await expect(find()).rejects.toThrow(/task 32: RELAY_RUN_ID is declared as a credential/);
  });

  it("does not read tasks created before the trigger and stops paging there", async () => {
    listsTasks([{ id: 33, created: AFTER - 3_600 }]);
    await expect(find()).resolves.toBeNull();
  });

  it("returns the handle with the task page link", async () => {
    listsTasks([{ id: 34 }]);
    hasParams(34, [{ name: "RELAY_RUN_ID", value: OUR_RELAY_RUN_ID }]);
    await expect(find()).resolves.toEqual({ runId: "34", webUrl: `${ZADIG_URL}/v1/projects/detail/proxy/pipelines/custom/build-deploy/34` });
  });

  it("fails loudly when the list has an unexpected shape", async () => {
    nock(ZADIG_URL).get(LIST_PATH).query(true).reply(200, [{ task_id: 1 }]);
    await expect(find()).rejects.toThrow(/^zadig findRun failed: unexpected response/);
  });

  it.each(["v1.7", "pipeline-v2"] as const)("offers no findRun for %s tasks (their lists cannot identify a task)", (api) => {
    expect(createAdapter(api).adapter.findRun).toBeUndefined();
  });
});
