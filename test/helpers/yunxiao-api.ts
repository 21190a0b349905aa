import nock from "nock";
import { checked } from "./github-api.js";
import { vendorFixture } from "./fixtures.js";

export const FLOW_CENTRAL_URL = "https://openapi-rdc.aliyuncs.com";
export const FLOW_REGION_URL = "https://devops.example.com";
export const FLOW_ORGANIZATION = "5ebbc0228123212b59aaaaa";
export const FLOW_PIPELINE = 3184679;
/** A personal access token that must never appear in anything the app writes or logs. */
export const FLOW_TOKEN = "pt-canary0fh3Q0fbG_35af9d1e0484";

export type FlowEdition = "central" | "region";
export type RunFixture = "running" | "success" | "fail";

/** Two connections, one per edition; the region one stops runs through job stops and has its own web_url. */
export const FLOW_OPERATOR_YAML = `
connections:
  flow-central:
    vendor: yunxiao
    edition: central
    organization_id: ${FLOW_ORGANIZATION}
    token: \${YUNXIAO_TOKEN}
    repositories: ["Codertocat/*"]
  flow-region:
    vendor: yunxiao
    edition: region
    url: ${FLOW_REGION_URL}
    token: \${YUNXIAO_TOKEN}
    web_url: ${FLOW_REGION_URL}/flow/pipelines/{pipelineId}/builds/{runId}
    stop: jobs
    repositories: ["Codertocat/*"]
tracker:
  poll_initial_seconds: 5
  poll_max_seconds: 60
  default_timeout_minutes: 60
`;
export const FLOW_ENV = { YUNXIAO_TOKEN: FLOW_TOKEN };

/** `.github/pipelines.yml` with one Flow pipeline `build` on the given connection. */
export function flowRepoConfig(connection = "flow-central", block = `{ pipeline_id: ${FLOW_PIPELINE} }`, extra = ""): string {
  return `pipelines:
  - name: build
    connection: ${connection}
    yunxiao: ${block}
    on:
      push: { branches: [master], tags: ["v*"] }
      pull_request: { branches: [master] }
    variables: { DEPLOY_ENV: staging }
${extra}`;
}

export interface RunOptions {
  /** The commit Flow reports in `sources[].data.commit` (absent in the documented examples). */
  commit?: string;
  repo?: string;
  /** Adjust the body after the defaults are applied. */
  adjust?: (run: any) => void;
}

/** A GetPipelineRun body from the documented example, with our ids and the given status. */
export function flowRun(fixture: RunFixture, runId: number, status?: string, options: RunOptions = {}): any {
  const run = vendorFixture("yunxiao", `pipeline_run_get.${fixture}`);
  run.pipelineRunId = runId;
  run.pipelineId = FLOW_PIPELINE;
  if (status) run.status = status;
  const data = run.sources[0].data;
  if (options.repo) data.repo = options.repo;
  if (options.commit) data.commit = options.commit;
  options.adjust?.(run);
  return run;
}

/** Fluent nock builder for Flow's run API in domain words; every request must carry the token header. */
export function yunxiaoApi(options: { edition?: FlowEdition; token?: string; baseUrl?: string; pipelineId?: number } = {}) {
  const edition = options.edition ?? "central";
  const baseUrl = options.baseUrl ?? (edition === "central" ? FLOW_CENTRAL_URL : FLOW_REGION_URL);
  const prefix = edition === "central" ? `/oapi/v1/flow/organizations/${FLOW_ORGANIZATION}` : "/oapi/v1/flow";
  const pipeline = `${prefix}/pipelines/${options.pipelineId ?? FLOW_PIPELINE}`;
  const scope = nock(baseUrl, { reqheaders: { "x-yunxiao-token": options.token ?? FLOW_TOKEN } });
  const job = (runId: number, jobId: number, action: string) => `${pipeline}/pipelineRuns/${runId}/jobs/${jobId}/${action}`;
  const api = {
    scope,
    /** CreatePipelineRun answers with the bare run id. */
    startsRun(runId: number, expect?: (body: { params: string }) => void) {
      scope.post(`${pipeline}/runs`, (body) => checked(expect, body)).reply(200, String(runId), { "content-type": "application/json" });
      return api;
    },
    /** CreatePipelineRun answers something else: an error, or a body of the wrong shape. */
    answersStart(status: number, body: unknown, times = 1, headers: Record<string, string> = {}) {
      scope.post(`${pipeline}/runs`).times(times).reply(status, body as nock.Body, headers);
      return api;
    },
    reportsRun(runId: number, body: unknown) {
      scope.get(`${pipeline}/runs/${runId}`).reply(200, body as nock.Body);
      return api;
    },
    failsToReport(runId: number, status: number, body: unknown, times = 1, headers: Record<string, string> = {}) {
      scope.get(`${pipeline}/runs/${runId}`).times(times).reply(status, body as nock.Body, headers);
      return api;
    },
    /** UpdatePipelineRun, the run-level stop: its answer is undocumented, an empty 200 here. */
    stopsRun(runId: number) {
      scope.put(`${pipeline}/runs/${runId}`).reply(200, "");
      return api;
    },
    refusesRunStop(runId: number, status: number, body: unknown = { errorCode: "NotFound", errorMessage: "Not Found" }) {
      scope.put(`${pipeline}/runs/${runId}`).reply(status, body as nock.Body);
      return api;
    },
    stopsJob(runId: number, jobId: number, answer = vendorFixture<boolean>("yunxiao", "job_stop")) {
      scope.put(job(runId, jobId, "stop")).reply(200, JSON.stringify(answer), { "content-type": "application/json" });
      return api;
    },
    retriesJob(runId: number, jobId: number, answer = vendorFixture<boolean>("yunxiao", "job_retry")) {
      scope.put(job(runId, jobId, "retry")).reply(200, JSON.stringify(answer), { "content-type": "application/json" });
      return api;
    },
    refusesJobRetry(runId: number, jobId: number, status = 400) {
      scope.put(job(runId, jobId, "retry")).reply(status, vendorFixture("yunxiao", "error_400"));
      return api;
    },
    /** HTTP 200 with an error body on a call: `run-stop`, `job-stop`, `job-retry` or `job-log`. */
    answersError(call: "run-stop" | "job-stop" | "job-retry" | "job-log", runId: number, jobId: number, body: unknown) {
      const reply = body as nock.Body;
      if (call === "run-stop") scope.put(`${pipeline}/runs/${runId}`).reply(200, reply);
      else if (call === "job-log") scope.get(`${pipeline}/runs/${runId}/job/${jobId}/log`).reply(200, reply);
      else scope.put(job(runId, jobId, call === "job-stop" ? "stop" : "retry")).reply(200, reply);
      return api;
    },
    hasJobLog(runId: number, jobId: number, content: string) {
      scope.get(`${pipeline}/runs/${runId}/job/${jobId}/log`).reply(200, { ...vendorFixture("yunxiao", "job_log"), content, more: false });
      return api;
    },
  };
  return api;
}
