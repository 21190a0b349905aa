import nock from "nock";
import type { YunxiaoTarget } from "../../src/vendors/yunxiao/schema.js";
import { createAdapterForTest } from "../helpers/adapter.js";
import { vendorFixture } from "../helpers/fixtures.js";
import { flowRun, yunxiaoApi, type FlowEdition } from "../helpers/yunxiao-api.js";
import type { ContractHarness } from "./vendor-adapter.contract.js";

const SECRET = "pt-contract0fh3Q0fbG_35af0484";
const SHA = "a".repeat(40);
const PIPELINE = 3184679;
const REGION_URL = "https://flow.region.example.com";
const ENVELOPE = vendorFixture("yunxiao", "error_400");

/** The contract harness for one edition: central stops runs with the run-level PUT, region with job stops. */
export function yunxiaoHarness(edition: FlowEdition): ContractHarness<YunxiaoTarget> {
  const api = () => yunxiaoApi({ edition, token: SECRET, baseUrl: edition === "region" ? REGION_URL : undefined });
  const bare = () => (edition === "region" ? REGION_URL : "https://openapi-rdc.aliyuncs.com");
  const connection =
    edition === "central"
      ? `vendor: yunxiao\nedition: central\norganization_id: 5ebbc0228123212b59aaaaa\ntoken: \${TOKEN}\nrepositories: ["*/*"]`
      : `vendor: yunxiao\nedition: region\nurl: ${REGION_URL}\ntoken: \${TOKEN}\nstop: jobs\nrepositories: ["*/*"]`;
  const runPath = (runId: string) =>
    `${edition === "central" ? "/oapi/v1/flow/organizations/5ebbc0228123212b59aaaaa" : "/oapi/v1/flow"}/pipelines/${PIPELINE}/runs/${runId}`;

  return {
    vendor: "yunxiao",
    secret: SECRET,
    createAdapter: () => createAdapterForTest<YunxiaoTarget>(connection, { TOKEN: SECRET }),
    request: {
      target: { pipeline_id: PIPELINE },
      repository: { owner: "acme", name: "app", fullName: "acme/app", cloneUrl: "https://github.com/acme/app.git", htmlUrl: "https://github.com/acme/app" },
      sha: SHA,
      ref: "main",
      refType: "branch",
      variables: { RELAY_SHA: SHA },
      description: "test",
    },
    acceptsTrigger: (runId) =>
      void api().startsRun(Number(runId), (body) =>
        expect(body).toEqual({ params: `{"runningBranchs":{"https://github.com/acme/app.git":"main"},"envs":{"RELAY_SHA":"${SHA}"},"comment":"test"}` }),
      ),
    reportsStatus: (runId, word) => void api().reportsRun(Number(runId), flowRun("running", Number(runId), word)),
    words: {
      queued: ["WAITING", "INIT"],
      running: ["RUNNING", "CANCELLING"],
      success: ["SUCCESS"],
      failure: ["FAIL"],
      cancelled: ["CANCELED"],
    },
    unknownWord: "TELEPORTING",
    acceptsCancel: (runId) => {
      if (edition === "central") api().stopsRun(Number(runId));
      else api().reportsRun(Number(runId), flowRun("running", Number(runId))).stopsJob(Number(runId), 21213);
    },
    acceptsRetry: (runId) => {
      api().reportsRun(Number(runId), flowRun("fail", Number(runId))).retriesJob(Number(runId), 21213);
      return runId;
    },
    reportsTests: null,
    rejectsTrigger: [
      {
        label: "401 InvalidTokenError",
        status: 401,
        mustMention: ["HTTP 401", "InvalidTokenError", "Token is invalid"],
        setup: () => void api().answersStart(401, vendorFixture("yunxiao", "error_401.invalid_token")),
      },
      {
        label: "403 Forbidden",
        status: 403,
        mustMention: ["HTTP 403", "Forbidden", "pipeline run instance"],
        setup: () => void api().answersStart(403, vendorFixture("yunxiao", "error_403")),
      },
      {
        label: "429 TooManyRequests, sent once",
        status: 429,
        mustMention: ["HTTP 429", "TooManyRequests"],
        setup: () => void api().answersStart(429, vendorFixture("yunxiao", "error_429")),
      },
      {
        label: "a body that is not the bare run id",
        mustMention: ["unexpected response"],
        setup: () => void api().answersStart(200, { pipelineRunId: 7 }),
      },
    ],
    failsOnceThenReports: (runId, word) =>
      void api().failsToReport(Number(runId), 502, "Bad Gateway").reportsRun(Number(runId), flowRun("running", Number(runId), word)),
    reportsMalformed: (runId) => void api().reportsRun(Number(runId), { pipelineRunId: Number(runId), status: 7 }),
    networkFails: (runId) => void nock(bare()).get(runPath(runId)).times(3).replyWithError("socket hang up"),
    errorEnvelope: {
      mustMention: ["Yunxiao Flow refused to", "BadRequest", "Bad request"],
      operations: {
        trigger: () => void api().answersStart(200, ENVELOPE),
        getRun: (runId) => void api().reportsRun(Number(runId), ENVELOPE),
        cancel: (runId) =>
          void (edition === "central"
            ? api().answersError("run-stop", Number(runId), 0, ENVELOPE)
            : api().reportsRun(Number(runId), flowRun("running", Number(runId))).answersError("job-stop", Number(runId), 21213, ENVELOPE)),
        retry: (runId) => void api().reportsRun(Number(runId), flowRun("fail", Number(runId))).answersError("job-retry", Number(runId), 21213, ENVELOPE),
        describeFailure: (runId) => void api().reportsRun(Number(runId), flowRun("fail", Number(runId))).answersError("job-log", Number(runId), 21213, ENVELOPE),
      },
    },
  };
}
