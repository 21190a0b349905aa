import type { CodeartsTarget } from "../../src/vendors/codearts/schema.js";
import { createAdapterForTest } from "../helpers/adapter.js";
import { codeartsApi, codeartsFixture, iamApi, PIPELINE_ID, PIPELINE_PATH, PROJECT_ID, REGION, type ApiAuth } from "../helpers/codearts-api.js";
import type { ContractHarness } from "./vendor-adapter.contract.js";

export const IAM_PASSWORD = "codearts-contract-password-1";
export const SECRET_KEY = "codearts-contract-secret-key-2";
const ACCESS_KEY = "QTWAOYTTINDUT2QVKYUC";
const TOKEN = "MIIcontract-token-one";
const FRESH_TOKEN = "MIIcontract-token-two";
const SHA = "a".repeat(40);
const ENVELOPE = codeartsFixture("error_in_200.devcp_00012002");

const REQUEST = {
  target: { project_id: PROJECT_ID, pipeline_id: PIPELINE_ID, source: { git_type: "github" as const }, event_type: "Manual" },
  repository: { owner: "acme", name: "app", fullName: "acme/app", cloneUrl: "https://github.com/acme/app.git", htmlUrl: "https://github.com/acme/app" },
  sha: SHA,
  ref: "main",
  refType: "branch" as const,
  variables: { RELAY_SHA: SHA },
  description: "test",
};

const EXPECTED_BODY = {
  sources: [{ type: "code", params: { git_type: "github", git_url: "https://github.com/acme/app.git", build_params: { build_type: "branch", target_branch: "main", event_type: "Manual" } } }],
  description: "test",
  variables: [{ name: "RELAY_SHA", value: SHA }],
};

/** The shared contract's harness for one credential form; the CodeArts answers are the same for both. */
export function codeartsHarness(form: "iam" | "aksk"): ContractHarness<CodeartsTarget> {
  const auth: ApiAuth = form === "iam" ? { kind: "iam", token: TOKEN } : { kind: "aksk", accessKey: ACCESS_KEY, secretKey: SECRET_KEY };
  // Each step may be the adapter's first call, so each offers a token; unused offers are optional.
  const api = () => {
    if (form === "iam") iamApi().issuesToken(TOKEN, { optional: true });
    return codeartsApi(auth);
  };
  const detailPath = (runId: string) => `${PIPELINE_PATH}/pipeline-runs/detail?pipeline_run_id=${runId}`;
  const connection =
    form === "iam"
      ? `vendor: codearts\nregion: ${REGION}\niam_user: \${CA_USER}\niam_password: \${CA_PASSWORD}\niam_domain: acme-cloud\nrepositories: ["*/*"]`
      : `vendor: codearts\nregion: ${REGION}\naccess_key: \${CA_AK}\nsecret_key: \${CA_SK}\nrepositories: ["*/*"]`;

  const rejectsTrigger: ContractHarness<CodeartsTarget>["rejectsTrigger"] = [
    {
      label: "401 from the API gateway",
      status: 401,
      mustMention: ["HTTP 401", "APIG.0301", "decrypt token fail"],
      setup: () => {
        if (form === "iam") {
          // A refused token is replaced once: the second refusal is the error.
          iamApi().issuesToken(TOKEN);
          codeartsApi(auth).failsToStart(401, codeartsFixture("error_401.apig_token"));
          iamApi().issuesToken(FRESH_TOKEN);
          codeartsApi({ kind: "iam", token: FRESH_TOKEN }).failsToStart(401, codeartsFixture("error_401.apig_token"));
        } else {
          codeartsApi(auth).failsToStart(401, codeartsFixture("error_401.apig_token"));
        }
      },
    },
    {
      label: "500 DEVCP.00010000",
      status: 500,
      mustMention: ["HTTP 500", "DEVCP.00010000", "未知服务异常"],
        ambiguous: true,
      setup: () => void api().failsToStart(500, codeartsFixture("error_500.devcp_00010000")),
    },
    {
      label: "error_code inside HTTP 200",
      status: 200,
      mustMention: ["DEVCP.00012002", "数据库中不存在相关记录"],
      setup: () => void api().failsToStart(200, codeartsFixture("error_in_200.devcp_00012002")),
    },
  ];
  if (form === "iam") {
    rejectsTrigger.push({
      label: "IAM refuses the password",
      status: 401,
      mustMention: ["IAM token request", "HTTP 401", "The username or password is wrong."],
      setup: () => void iamApi().refuses(401, codeartsFixture("iam_error_401")),
    });
  }

  return {
    vendor: "codearts",
    secret: form === "iam" ? IAM_PASSWORD : SECRET_KEY,
    createAdapter: () =>
      createAdapterForTest<CodeartsTarget>(connection, { CA_USER: "ci-bot", CA_PASSWORD: IAM_PASSWORD, CA_AK: ACCESS_KEY, CA_SK: SECRET_KEY }),
    request: REQUEST,
    acceptsTrigger: (runId) => void api().startsRun(runId, (body) => expect(body).toEqual(EXPECTED_BODY)),
    reportsStatus: (runId, word) => void api().reportsRun(runId, "running", { status: word }),
    words: {
      queued: ["QUEUED"],
      running: ["RUNNING", "PAUSED", "SUSPEND"],
      success: ["COMPLETED"],
      failure: ["FAILED"],
      cancelled: ["CANCELED"],
      skipped: ["IGNORED"],
    },
    unknownWord: "TELEPORTING",
    acceptsCancel: (runId) => void api().stops(runId),
    acceptsRetry: (runId) => {
      api().retries(runId);
      return runId;
    },
    reportsTests: null,
    rejectsTrigger,
    failsOnceThenReports: (runId, word) => void api().failsToReport(runId, 502, "Bad Gateway").reportsRun(runId, "running", { status: word }),
    reportsMalformed: (runId) => void api().failsToReport(runId, 200, { id: runId, status: 7 }),
    networkFails: (runId) => void api().scope.get(detailPath(runId)).times(3).replyWithError("socket hang up"),
    errorEnvelope: {
      mustMention: ["DEVCP.00012002", "数据库中不存在相关记录"],
      operations: {
        trigger: () => void api().failsToStart(200, ENVELOPE),
        getRun: (runId) => void api().failsToReport(runId, 200, ENVELOPE),
        cancel: (runId) => void api().answersError("stop", runId, ENVELOPE),
        retry: (runId) => void api().answersError("retry", runId, ENVELOPE),
        describeFailure: (runId) => void api().reportsRun(runId, "failed").answersError("log", runId, ENVELOPE),
      },
    },
  };
}
