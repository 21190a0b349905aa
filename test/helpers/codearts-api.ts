import nock from "nock";
import { sign } from "../../src/vendors/codearts/aksk-signer.js";
import { checked } from "./github-api.js";
import { vendorFixture } from "./fixtures.js";

export const REGION = "cn-north-4";
export const CODEARTS_URL = `https://cloudpipeline-ext.${REGION}.myhuaweicloud.com`;
export const IAM_URL = `https://iam.${REGION}.myhuaweicloud.com`;
/** The ids of the documented example run (pipeline_run_detail.*.json). */
export const PROJECT_ID = "93d8e0553c20411fba06bb112b5b59af";
export const PIPELINE_ID = "794514e0a3184e5db0a4740112deee0f";
export const PIPELINE_PATH = `/v5/${PROJECT_ID}/api/pipelines/${PIPELINE_ID}`;
/** Job and step of the failed step in pipeline_run_detail.failed.json. */
export const FAILED_JOB_ID = "6f7a8b9c0d1e42c39405f6a7b8c9d0e1";
export const FAILED_STEP_ID = "8b9c0d1e2f3a44e59607b8c9d0e1f2a3";

export function codeartsFixture<T = any>(name: string): T {
  return vendorFixture<T>("codearts", name);
}

/** How the CodeArts mocks check a request's credentials. */
export type ApiAuth = { kind: "iam"; token: string } | { kind: "aksk"; accessKey: string; secretKey: string };

const AKSK_HEADER = /^SDK-HMAC-SHA256 Access=(\S+), SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/**
 * Recomputes the AK/SK signature from what actually arrived (method, path, query, signed headers, body)
 * and records a mismatch as a failed assertion.
 */
function verifySignature(auth: Extract<ApiAuth, { kind: "aksk" }>, method: string, req: { headers: Record<string, string> }, uri: string, body: unknown): void {
  checked(() => {
    const authorization = req.headers.authorization ?? "";
    const match = AKSK_HEADER.exec(authorization);
    expect(match?.[1]).toBe(auth.accessKey);
    const date = req.headers["x-sdk-date"] ?? "";
    expect(date).toMatch(/^\d{8}T\d{6}Z$/);
    const when = new Date(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
    const extra: Record<string, string> = {};
    for (const name of match![2]!.split(";")) if (name !== "host" && name !== "x-sdk-date") extra[name] = req.headers[name]!;
    const text = body === undefined || body === "" ? "" : typeof body === "string" ? body : JSON.stringify(body);
    const expected = sign({ method, url: new URL(uri, CODEARTS_URL), headers: extra, body: text }, auth, when);
    expect(authorization).toBe(expected.authorization);
  }, undefined);
}

/** Fluent nock builder for CodeArts Pipeline v5, answering with the documented example bodies. */
export function codeartsApi(auth: ApiAuth) {
  const scope = nock(CODEARTS_URL, auth.kind === "iam" ? { reqheaders: { "x-auth-token": auth.token } } : undefined);
  type Method = "get" | "post" | "put";
  const answer = (method: Method, path: string, status: number, body: unknown, match?: (body: any) => void, times = 1) => {
    const interceptor = method === "get" ? scope.get(path) : scope[method](path, (sent: any) => checked(match, sent));
    interceptor.times(times).reply(function (uri, sent) {
      if (auth.kind === "aksk") verifySignature(auth, method.toUpperCase(), this.req, uri, sent);
      return [status, body as nock.Body];
    });
  };
  const detailPath = (runId: string) => `${PIPELINE_PATH}/pipeline-runs/detail?pipeline_run_id=${runId}`;
  const api = {
    scope,
    startsRun(runId: string, expect?: (body: any) => void) {
      answer("post", `${PIPELINE_PATH}/run`, 200, { pipeline_run_id: runId }, expect);
      return api;
    },
    /** The documented queue answer: HTTP 200 with error_code and the run id in `error`. */
    queuesRun(runId: string, queueId: string, code = "DEVPIPE.00011169") {
      const body = codeartsFixture("pipeline_run.queued");
      answer("post", `${PIPELINE_PATH}/run`, 200, { ...body, error_code: code, error: { pipeline_run_id: runId, queue_id: queueId } });
      return api;
    },
    failsToStart(status: number, body: unknown, times = 1) {
      answer("post", `${PIPELINE_PATH}/run`, status, body, undefined, times);
      return api;
    },
    /** The run detail fixture (`running`, `completed` or `failed`) with this id, status and built commit. */
    reportsRun(runId: string, fixture: "running" | "completed" | "failed", change: { status?: string; commitId?: string } = {}) {
      answer("get", detailPath(runId), 200, runDetailBody(runId, fixture, change));
      return api;
    },
    failsToReport(runId: string, status: number, body: unknown, times = 1) {
      answer("get", detailPath(runId), status, body, undefined, times);
      return api;
    },
    stops(runId: string) {
      answer("post", `${PIPELINE_PATH}/pipeline-runs/${runId}/stop`, 200, codeartsFixture("pipeline_stop"));
      return api;
    },
    cancelsQueuing(runId: string, queueId: string) {
      answer("post", `${PIPELINE_PATH}/${runId}/cancel-queuing/${queueId}`, 200, {}, (body) => expect(body).toEqual({}));
      return api;
    },
    retries(runId: string, body: unknown = codeartsFixture("pipeline_retry")) {
      answer("put", `${PIPELINE_PATH}/pipeline-runs/${runId}/retry`, 200, body);
      return api;
    },
    /** HTTP 200 with an error body on a call: `stop`, `retry` or the failed step's `log`. */
    answersError(call: "stop" | "retry" | "log", runId: string, body: unknown) {
      const reply = body as nock.Body;
      if (call === "stop") scope.post(`${PIPELINE_PATH}/pipeline-runs/${runId}/stop`).reply(200, reply);
      else if (call === "retry") scope.put(`${PIPELINE_PATH}/pipeline-runs/${runId}/retry`).reply(200, reply);
      else scope.post(new RegExp(`^${PIPELINE_PATH}/pipeline-runs/${runId}/jobs/[^/]+/steps/[^/]+/logs$`)).reply(200, reply);
      return api;
    },
    /** One page per string, read from offset 0 with `end_offset` advancing by each page's length. */
    hasStepLog(runId: string, jobId: string, stepId: string, pages: string[]) {
      const path = `${PIPELINE_PATH}/pipeline-runs/${runId}/jobs/${jobId}/steps/${stepId}/logs`;
      let offset = 0;
      pages.forEach((log, index) => {
        const start = offset;
        offset += log.length;
        const body = { ...codeartsFixture("step_log"), log, start_offset: String(start), end_offset: String(offset), has_more: index < pages.length - 1, step_run_id: stepId };
        answer("post", path, 200, body, (sent) => expect(sent).toEqual({ start_offset: start, end_offset: 0, limit: 500, sort: "asc" }));
      });
      return api;
    },
  };
  return api;
}

export function runDetailBody(runId: string, fixture: "running" | "completed" | "failed", change: { status?: string; commitId?: string } = {}) {
  const body = codeartsFixture(`pipeline_run_detail.${fixture}`);
  body.id = runId;
  body.detail_url = body.detail_url.replace(/[0-9a-f]{32}$/, runId);
  if (change.status) body.status = change.status;
  if (change.commitId) body.sources[0].params.build_params.commit_id = change.commitId;
  return body;
}

/** Fluent nock builder for IAM's token API. */
export function iamApi() {
  const scope = nock(IAM_URL);
  const api = {
    scope,
    /** One token fetch answered with `token` valid until `expiresAt`; `expect` sees the request body. */
    issuesToken(token: string, options: { expiresAt?: string; expect?: (body: any) => void; optional?: boolean } = {}) {
      const body = codeartsFixture("iam_token");
      // The adapter reads the real clock: a token from the fixture's fixed date could already be expired.
      body.token.expires_at = options.expiresAt ?? new Date(Date.now() + 24 * 3600_000).toISOString();
      scope
        .post("/v3/auth/tokens", (sent) => checked(options.expect, sent))
        .query({ nocatalog: "true" })
        .optionally(options.optional ?? false)
        .reply(201, body, { "X-Subject-Token": token });
      return api;
    },
    refuses(status: number, body: unknown) {
      scope.post("/v3/auth/tokens").query({ nocatalog: "true" }).reply(status, body as nock.Body);
      return api;
    },
  };
  return api;
}

/** A credential value that must never appear in anything the app writes or logs (password and secret key). */
export const CODEARTS_CANARY = "canary-codearts-4b8d2f6a1e9c";
/** The IAM token the integration tests hand out: it must not leak either. */
export const CODEARTS_TOKEN = "MIIcanary-iam-token-93e1d7";
export const CODEARTS_ACCESS_KEY = "HPUACANARYACCESSKEY1";

/** Operator config with one CodeArts connection per credential form, and the env its references need. */
export const CODEARTS_OPERATOR_YAML = `
connections:
  huawei-iam:
    vendor: codearts
    region: ${REGION}
    iam_user: \${CA_USER}
    iam_password: \${CA_PASSWORD}
    iam_domain: acme-cloud
    repositories: ["Codertocat/*"]
  huawei-aksk:
    vendor: codearts
    region: ${REGION}
    access_key: \${CA_AK}
    secret_key: \${CA_SK}
    repositories: ["Codertocat/*"]
tracker:
  poll_initial_seconds: 5
  poll_max_seconds: 60
  default_timeout_minutes: 60
`;
export const CODEARTS_ENV = { CA_USER: "ci-bot-canary", CA_PASSWORD: CODEARTS_CANARY, CA_AK: CODEARTS_ACCESS_KEY, CA_SK: CODEARTS_CANARY };

export type CredentialForm = "iam" | "aksk";

/** `.github/pipelines.yml` with one CodeArts pipeline on the connection of that credential form. */
export function codeartsRepoConfig(form: CredentialForm): string {
  return `
pipelines:
  - name: backend
    connection: huawei-${form}
    codearts:
      project_id: ${PROJECT_ID}
      pipeline_id: ${PIPELINE_ID}
      source: { git_type: github, alias: hello }
    on:
      push: { branches: [master], tags: ["v*"] }
      pull_request: { branches: [master] }
    variables: { DEPLOY_ENV: staging }
`;
}

/** The CodeArts mocks of one credential form; the IAM form also offers its (cached) token once. */
export function codeartsFor(form: CredentialForm, options: { issueToken?: boolean } = {}) {
  if (form === "iam" && options.issueToken) iamApi().issuesToken(CODEARTS_TOKEN);
  return codeartsApi(form === "iam" ? { kind: "iam", token: CODEARTS_TOKEN } : { kind: "aksk", accessKey: CODEARTS_ACCESS_KEY, secretKey: CODEARTS_CANARY });
}
