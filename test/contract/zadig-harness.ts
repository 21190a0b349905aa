import type { RunState, TriggerRequest } from "../../src/vendors/types.js";
import type { ZadigTarget } from "../../src/vendors/zadig/schema.js";
import { mapZadigStatus, ZADIG_STATUS_WORDS, ZADIG_V17_STATUS_WORDS } from "../../src/vendors/zadig/state-map.js";
import { createAdapterForTest } from "../helpers/adapter.js";
import { vendorFixture } from "../helpers/fixtures.js";
import { ZADIG_NAMES, ZADIG_URL, zadigApi, type ZadigApiName } from "../helpers/zadig-api.js";
import type { ContractHarness } from "./vendor-adapter.contract.js";

export const SHA = "a".repeat(40);

const SERVICE = { service_name: "service1", service_module: "service1" };

/** The zadig block each flavour needs, naming the fixtures' project and workflow or pipeline. */
export const TARGETS: Record<ZadigApiName, ZadigTarget> = {
  openapi: {
    project: ZADIG_NAMES.openapi.project,
    workflow: ZADIG_NAMES.openapi.name,
    codehost: "github",
    jobs: [{ type: "zadig-build", name: "build", registry: "registry.example.com/proxy", services: [SERVICE] }],
  },
  "v1.7": { project: ZADIG_NAMES["v1.7"].project, workflow: ZADIG_NAMES["v1.7"].name, codehost_id: 3, env: "dev", services: [SERVICE] },
  "pipeline-v2": { project: ZADIG_NAMES["pipeline-v2"].project, pipeline: ZADIG_NAMES["pipeline-v2"].name, codehost_id: 3 },
};

export function requestFor(api: ZadigApiName): TriggerRequest<ZadigTarget> {
  return {
    target: TARGETS[api],
    repository: { owner: "acme", name: "app", fullName: "acme/app", cloneUrl: "https://github.com/acme/app.git", htmlUrl: "https://github.com/acme/app" },
    sha: SHA,
    ref: "main",
    refType: "branch",
    variables: { RELAY_SHA: SHA },
    description: "GitHub acme/app@aaaaaaa via pipeline-relay",
  };
}

/** The start body each flavour must send for requestFor(api). */
export function expectedStartBody(api: ZadigApiName): unknown {
  const aslanRepo = { source: "github", codehost_id: 3, repo_owner: "acme", repo_name: "app", branch: "main", tag: "", pr: 0, commit_id: SHA, is_primary: true };
  const kv = [{ key: "RELAY_SHA", value: SHA, is_credential: false }];
  if (api === "openapi") {
    const repoInfo = { codehost_name: "github", repo_namespace: "acme", repo_name: "app", branch: "main", pr: 0, prs: [], enable_commit: true, commit_id: SHA };
    return {
      workflow_key: "build-deploy",
      project_key: "proxy",
      parameters: [{ name: "RELAY_SHA", type: "string", value: SHA }],
      inputs: [
        {
          job_name: "build",
          job_type: "zadig-build",
          parameters: { registry: "registry.example.com/proxy", service_list: [{ ...SERVICE, repo_info: [repoInfo], inputs: [{ key: "RELAY_SHA", value: SHA }] }] },
        },
      ],
    };
  }
  if (api === "v1.7") {
    return {
      workflow_name: "proxy-workflow-dev",
      product_tmpl_name: "proxy",
      description: "GitHub acme/app@aaaaaaa via pipeline-relay",
      namespace: "dev",
      targets: [{ name: "service1", service_name: "service1", build: { repos: [aslanRepo] }, envs: kv }],
      tests: [],
      merge_request_id: "",
      commit_id: SHA,
      source: "github",
      codehost_id: 3,
      repo_owner: "acme",
      repo_name: "app",
      request_mode: "openAPI",
    };
  }
  return { product_name: "spock-kube", pipeline_name: "test-pipeline", builds: [aslanRepo], build_args: kv, codehost_id: 3, task_creator: "pipeline-relay" };
}

/** Status words by neutral state: all 23 on the OpenAPI server, v1.7's 12 on the aslan APIs. */
function wordsFor(api: ZadigApiName): Partial<Record<RunState, string[]>> {
  const words: Partial<Record<RunState, string[]>> = {};
  for (const word of api === "openapi" ? ZADIG_STATUS_WORDS : ZADIG_V17_STATUS_WORDS) {
    const state = mapZadigStatus(word)!;
    (words[state] ??= []).push(word);
  }
  return words;
}

export function connectionYaml(api: ZadigApiName, extra = ""): string {
  return `vendor: zadig\napi: "${api}"\nurl: ${ZADIG_URL}\ntoken: \${ZADIG_TOKEN}\nrepositories: ["*/*"]${extra ? `\n${extra}` : ""}`;
}

export function zadigHarness(api: ZadigApiName): ContractHarness<ZadigTarget> {
  const secret = "zadig-contract-secret-4b1d";
  const zadig = () => zadigApi(api);
  return {
    vendor: "zadig",
    secret,
    createAdapter: () => createAdapterForTest<ZadigTarget>(connectionYaml(api), { ZADIG_TOKEN: secret }),
    request: requestFor(api),
    acceptsTrigger: (runId) => void zadigApi(api, { token: secret }).startsTask(Number(runId), (body) => expect(body).toEqual(expectedStartBody(api))),
    reportsStatus: (runId, word) => void zadig().reportsTask(Number(runId), word),
    words: wordsFor(api),
    unknownWord: "teleporting",
    acceptsCancel: (runId) => void zadig().cancels(Number(runId)),
    acceptsRetry: (runId) => {
      zadig().retries(Number(runId));
      return runId;
    },
    reportsTests: (runId, counts) => void zadig().hasTests(Number(runId), counts),
    rejectsTrigger: [
      {
        label: "HTTP 400, int code 6542",
        status: 400,
        mustMention: ["HTTP 400", "6542", "查询workflow失败", "mongo: no documents in result"],
        setup: () => void zadig().failsToStart(400, vendorFixture("zadig", "error.v17_create_6542")),
      },
      {
        label: "HTTP 400, string code 6800 (aslan seed)",
        status: 400,
        mustMention: ["6800", "create pipeline error: error details"],
        setup: () => void zadig().failsToStart(400, vendorFixture("zadig", "error.seed_6800_create_pipeline")),
      },
      {
        label: "HTTP 400, string code 400 (aslan seed)",
        status: 400,
        mustMention: ["invalid pipeline args: error details"],
        setup: () => void zadig().failsToStart(400, vendorFixture("zadig", "error.seed_400_invalid_args")),
      },
      {
        label: "HTTP 500 internal error, sent once",
        status: 500,
        mustMention: ["HTTP 500", "Internal Error: mongo: no documents in result"],
        ambiguous: true,
        setup: () => void zadig().failsToStart(500, vendorFixture("zadig", "error.internal_500")),
      },
      {
        label: "HTTP 401 with a text body from the gateway",
        status: 401,
        mustMention: ["HTTP 401", "invalid token"],
        setup: () => void zadig().failsToStart(401, "invalid token: token is malformed"),
      },
    ],
    failsOnceThenReports: (runId, word) => void zadig().failsToReport(Number(runId), 502, "Bad Gateway").reportsTask(Number(runId), word),
    reportsMalformed: (runId) => void zadig().reportsBody(Number(runId), { task_id: Number(runId), status: 7 }),
    networkFails: (runId) => void zadig().networkFails(Number(runId), 3),
    errorEnvelope: {
      mustMention: ["Zadig refused to", "6163", "取消工作流任务失败"],
      operations: Object.fromEntries(
        (["trigger", "getRun", "cancel", "retry", "getTestSummary", "describeFailure"] as const).map((operation) => [
          operation,
          (runId: string) => void zadig().answersEnvelope(operation, Number(runId), vendorFixture("zadig", "error.v17_cancel_6163")),
        ]),
      ),
    },
  };
}
