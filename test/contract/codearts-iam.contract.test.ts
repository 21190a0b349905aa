import { CODEARTS_STATUS_WORDS } from "../../src/vendors/codearts/state-map.js";
import { codeartsHarness } from "./codearts-harness.js";
import { describeAdapterContract } from "./vendor-adapter.contract.js";

describeAdapterContract("codearts (IAM token)", codeartsHarness("iam"));

it("knows the 8 documented CodeArts run statuses", () => {
  expect(CODEARTS_STATUS_WORDS.sort()).toEqual(["CANCELED", "COMPLETED", "FAILED", "IGNORED", "PAUSED", "QUEUED", "RUNNING", "SUSPEND"]);
});

import { VendorError } from "../../src/errors.js";
import type { CodeartsTarget } from "../../src/vendors/codearts/schema.js";
import { createAdapterForTest } from "../helpers/adapter.js";
import { codeartsApi, iamApi, PIPELINE_ID, PROJECT_ID, REGION } from "../helpers/codearts-api.js";

describe("codearts (IAM token): the run-time token is a secret", () => {
  const ISSUED = "MIIrun-time-token-echoed-9f2c";
  const target: CodeartsTarget = { project_id: PROJECT_ID, pipeline_id: PIPELINE_ID, source: { git_type: "github" }, event_type: "Manual" };
  const request = {
    target,
    repository: { owner: "acme", name: "app", fullName: "acme/app", cloneUrl: "https://github.com/acme/app.git", htmlUrl: "https://github.com/acme/app" },
    sha: "a".repeat(40),
    ref: "main",
    refType: "branch" as const,
    variables: {},
    description: "test",
  };
  const adapter = () =>
    createAdapterForTest<CodeartsTarget>(
      `vendor: codearts\nregion: ${REGION}\niam_user: \${U}\niam_password: \${P}\niam_domain: acme-cloud\nrepositories: ["*/*"]`,
      { U: "ci-bot", P: "iam-password-secret-1" },
    ).adapter;

  it.each([
    ["an HTTP 400 body", 400],
    ["an error inside HTTP 200", 200],
  ])("is masked when %s echoes it", async (_label, status) => {
    iamApi().issuesToken(ISSUED);
    codeartsApi({ kind: "iam", token: ISSUED }).failsToStart(status, { error_code: "DEVPIPE.00011104", error_msg: `bad token ${ISSUED} for this project` });
    const error = (await adapter().trigger(request).catch((e: unknown) => e)) as VendorError;
    expect(error).toBeInstanceOf(VendorError);
    expect(error.message).toContain("DEVPIPE.00011104");
    expect(error.message).toContain("bad token *** for this project");
    expect(error.message).not.toContain(ISSUED);
  });
});
