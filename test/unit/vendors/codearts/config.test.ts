import { parse as parseYaml } from "yaml";
import { parseOperatorConfig } from "../../../../src/config/operator-config.js";
import { credentialProblem } from "../../../../src/vendors/codearts/auth.js";
import { codeartsConnection, codeartsTarget, type CodeartsTarget } from "../../../../src/vendors/codearts/schema.js";
import { createAdapterForTest } from "../../../helpers/adapter.js";
import { PIPELINE_ID, PROJECT_ID } from "../../../helpers/codearts-api.js";

const ENV = { CA_USER: "ci-bot", CA_PASSWORD: "config-test-password", CA_AK: "HPUAEXAMPLEACCESSKEY", CA_SK: "config-test-secret-key" };

function operator(fields: string, region = "cn-north-4") {
  const yaml = `connections:\n  huawei:\n    vendor: codearts\n    region: ${region}\n    repositories: ["acme/*"]\n${fields
    .trim()
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n")}\n`;
  return parseOperatorConfig(parseYaml(yaml), "relay.yml", ENV);
}

describe("CodeArts connection", () => {
  it("accepts the IAM user form and masks user and password everywhere", () => {
    const config = operator("iam_user: ${CA_USER}\niam_password: ${CA_PASSWORD}\niam_domain: acme-cloud");
    expect(config.connections.huawei).toMatchObject({ vendor: "codearts", region: "cn-north-4", iam_user: "ci-bot", iam_domain: "acme-cloud" });
    expect(config.masker.mask("ci-bot / config-test-password")).toBe("*** / ***");
  });

  it("accepts the AK/SK form and masks both keys", () => {
    const config = operator("access_key: ${CA_AK}\nsecret_key: ${CA_SK}\nurl: https://cloudpipeline-ext.cn-north-4.myhuaweicloud.com");
    expect(config.masker.mask("HPUAEXAMPLEACCESSKEY:config-test-secret-key")).toBe("***:***");
  });

  it.each([
    ["iam_password: hunter22\niam_user: ${CA_USER}\niam_domain: d", "connections.huawei.iam_password"],
    ["access_key: ${CA_AK}\nsecret_key: plain-secret", "connections.huawei.secret_key"],
  ])("refuses a literal credential (%#)", (fields, path) => {
    expect(() => operator(fields)).toThrow(`relay.yml: ${path}: credentials must be an environment reference`);
  });

  it("refuses a region that is not a region id", () => {
    expect(() => operator("access_key: ${CA_AK}\nsecret_key: ${CA_SK}", "North China 4")).toThrow(
      "relay.yml: connections.huawei.region: a Huawei Cloud region id such as cn-north-4",
    );
    expect(["ap-southeast-3", "sa-brazil-1", "eu-west-101"].map((region) => codeartsConnection.shape.region.safeParse(region).success)).toEqual([true, true, true]);
  });

  it.each([
    [{ iam_user: "u", iam_password: "p", iam_domain: "d" }, undefined],
    [{ access_key: "a", secret_key: "s" }, undefined],
    [{ iam_user: "u", iam_password: "p", iam_domain: "d", access_key: "a" }, "set either the IAM user fields (iam_user, iam_password, iam_domain) or the AK/SK fields (access_key), not both"],
    [{ iam_user: "u", iam_password: "p" }, "IAM user credentials need iam_domain"],
    [{ secret_key: "s" }, "AK/SK credentials need access_key"],
    [{}, "no credentials: set iam_user, iam_password and iam_domain, or access_key and secret_key"],
  ])("credential forms: %j → %s", (fields, problem) => {
    expect(credentialProblem({ region: "cn-north-4", ...fields })).toBe(problem);
  });

  it("a connection with both credential forms stops start-up with the problem, without the secrets", () => {
    const start = () =>
      createAdapterForTest<CodeartsTarget>(
        `vendor: codearts\nregion: cn-north-4\niam_user: \${CA_USER}\niam_password: \${CA_PASSWORD}\niam_domain: d\naccess_key: \${CA_AK}\nsecret_key: \${CA_SK}\nrepositories: ["*/*"]`,
        ENV,
      );
    expect(start).toThrow("relay.yml: connections.test: set either the IAM user fields (iam_user, iam_password, iam_domain) or the AK/SK fields (access_key, secret_key), not both");
    expect(() => start()).not.toThrow(/config-test-/);
  });
});

describe("CodeArts pipeline block", () => {
  const base = { project_id: PROJECT_ID, pipeline_id: PIPELINE_ID };

  it("defaults event_type to Manual and lets a github source use the GitHub clone URL", () => {
    expect(codeartsTarget.parse({ ...base, source: { git_type: "github" } })).toEqual({ ...base, source: { git_type: "github" }, event_type: "Manual" });
  });

  it.each([
    [{ ...base, source: { git_type: "gitlab" } }, "needs git_url or codehub_id"],
    [{ ...base, source: { git_type: "svn", git_url: "https://x" } }, "source.git_type"],
    [{ ...base, pipeline_id: "../../admin", source: { git_type: "github" } }, "pipeline_id: letters and digits only"],
    [{ ...base, source: { git_type: "codehub", codehub_id: "2111883381", branch: "main" } }, "source: Unrecognized key: \"branch\""],
  ])("refuses %j", (block, mention) => {
    const result = codeartsTarget.safeParse(block);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")).toContain(mention);
  });

  it("accepts a CodeArts Repo source by id, with alias and endpoint", () => {
    const block = { ...base, source: { git_type: "codehub", codehub_id: "2111883381", alias: "backend", endpoint_id: "e1" }, event_type: "Manual" };
    expect(codeartsTarget.parse(block)).toEqual(block);
  });
});
