import { parse as parseYaml } from "yaml";
import { callbackPollSeconds, callbackTokenOf } from "../../../src/callbacks/callback-settings.js";
import { pipelineIdOf, sameSecret } from "../../../src/callbacks/gitlab-callback.js";
import { parseOperatorConfig } from "../../../src/config/operator-config.js";

const config = (extra: string, env: Record<string, string> = { T: "api-token", CB: "callback-secret-value" }) =>
  parseOperatorConfig(
    parseYaml(`
connections:
  gl:
    vendor: gitlab
    url: https://gitlab.example.com
    token: \${T}
    repositories: ["a/*"]
${extra}
`),
    "relay.yml",
    env,
  );

describe("GitLab callback input", () => {
  it.each<[string, unknown, number | undefined]>([
    ["a Pipeline event", { object_kind: "pipeline", object_attributes: { id: 61, status: "success" } }, 61],
    ["a Job event", { object_kind: "build", pipeline_id: 62, build_status: "failed" }, 62],
    ["a Push event", { object_kind: "push", ref: "refs/heads/main" }, undefined],
    ["a pipeline id that is not a number", { object_kind: "pipeline", object_attributes: { id: "61" } }, undefined],
    ["an array", [1, 2], undefined],
  ])("%s", (_case, body, expected) => {
    expect(pipelineIdOf(Buffer.from(JSON.stringify(body)))).toBe(expected);
  });

  it("reads no pipeline from a body that is not JSON", () => {
    expect(pipelineIdOf(Buffer.from("{not json"))).toBeUndefined();
  });

  it.each([
    ["the secret", "s3cret-token", true],
    ["another secret of the same length", "s3cret-tokex", false],
    ["a prefix", "s3cret", false],
    ["a longer value", "s3cret-token-and-more", false],
    ["nothing", "", false],
  ])("compares %s", (_case, presented, expected) => {
    expect(sameSecret(presented, "s3cret-token")).toBe(expected);
  });
});

describe("GitLab callback settings", () => {
  it("turns callbacks on with a callback_token and slows polling to poll_seconds_with_callbacks (default 300)", () => {
    const operator = config("    callback_token: ${CB}");
    expect(callbackTokenOf(operator.connections.gl)).toBe("callback-secret-value");
    expect(callbackPollSeconds(operator.connections, "gl")).toBe(300);
    expect(operator.masker.mask("token callback-secret-value")).not.toContain("callback-secret-value");
    expect(callbackPollSeconds(config("    callback_token: ${CB}\n    poll_seconds_with_callbacks: 120").connections, "gl")).toBe(120);
  });

  it("keeps the normal backoff without a callback_token, and for unknown connections", () => {
    const operator = config("");
    expect(callbackTokenOf(operator.connections.gl)).toBeUndefined();
    expect(callbackPollSeconds(operator.connections, "gl")).toBeUndefined();
    expect(callbackPollSeconds(operator.connections, "constructor")).toBeUndefined();
  });

  it("refuses a callback_token written as a literal in the file", () => {
    expect(() => config("    callback_token: literal-secret")).toThrow(/callback_token: credentials must be an environment reference/);
  });
});
