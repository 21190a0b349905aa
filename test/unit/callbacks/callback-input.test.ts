import { parse as parseYaml } from "yaml";
import { CALLBACK_TOKEN_HEADERS, CALLBACK_VENDORS, callbackPollSeconds, callbackTokenOf } from "../../../src/callbacks/callback-settings.js";
import { sameSecret } from "../../../src/callbacks/callback-endpoint.js";
import { parseOperatorConfig } from "../../../src/config/operator-config.js";
import { gitlabCallbacks } from "../../../src/vendors/gitlab/callback.js";
import { zadigCallbacks } from "../../../src/vendors/zadig/callback.js";

const config = (connection: string, env: Record<string, string> = { T: "api-token", CB: "callback-secret-value" }) =>
  parseOperatorConfig(parseYaml(`connections:\n  c:\n${connection}\n    repositories: ["a/*"]\n`), "relay.yml", env);
const gitlab = (extra = "") => config(`    vendor: gitlab\n    url: https://gitlab.example.com\n    token: \${T}\n${extra}`);
const zadig = (extra = "") => config(`    vendor: zadig\n    url: https://zadig.example.com\n    token: \${T}\n${extra}`);

describe("GitLab notifications", () => {
  it.each<[string, string, string[]]>([
    ["a Pipeline event", JSON.stringify({ object_kind: "pipeline", object_attributes: { id: 61, status: "success" } }), ["61"]],
    ["a Job event", JSON.stringify({ object_kind: "build", pipeline_id: 62, build_status: "failed" }), ["62"]],
    ["a 64-bit pipeline id, kept exact", '{"object_kind":"pipeline","object_attributes":{"id":9007199254740993}}', ["9007199254740993"]],
    ["a Push event", JSON.stringify({ object_kind: "push", ref: "refs/heads/main" }), []],
    ["a pipeline id that is not an id", JSON.stringify({ object_kind: "pipeline", object_attributes: { id: "../61" } }), []],
    ["an array", "[1, 2]", []],
    ["a body that is not JSON", "{not json", []],
  ])("%s", (_case, body, expected) => {
    expect(gitlabCallbacks.runIdsOf(body)).toEqual(expected);
  });
});

describe("Zadig workflow notifications", () => {
  const notification = (workflow: Record<string, unknown>) =>
    JSON.stringify({ object_kind: "workflow", event: "workflow", workflow: { project_name: "shop", workflow_name: "build", status: "passed", ...workflow } });
  it.each<[string, string, string[]]>([
    ["a task notification", notification({ task_id: 17 }), ["17"]],
    ["a task id sent as text", notification({ task_id: "18" }), ["18"]],
    ["a notification without a task", notification({}), []],
    ["another kind of notification", JSON.stringify({ object_kind: "test", workflow: { task_id: 3 } }), []],
    ["a body that is not JSON", "<html>", []],
  ])("%s", (_case, body, expected) => {
    expect(zadigCallbacks.runIdsOf(body)).toEqual(expected);
  });
});

describe("callback secrets", () => {
  it.each([
    ["the secret", "s3cret-token", true],
    ["another secret of the same length", "s3cret-tokex", false],
    ["a prefix", "s3cret", false],
    ["a longer value", "s3cret-token-and-more", false],
    ["nothing", "", false],
  ])("compares %s", (_case, presented, expected) => {
    expect(sameSecret(presented, "s3cret-token")).toBe(expected);
  });

  it("knows which vendors notify and which headers carry their secrets (redacted from the access log)", () => {
    expect(CALLBACK_VENDORS).toEqual(["gitlab", "zadig"]);
    expect(CALLBACK_TOKEN_HEADERS).toEqual(["x-gitlab-token", "x-zadig-token"]);
  });
});

describe("callback settings", () => {
  it.each([
    ["GitLab", gitlab],
    ["Zadig", zadig],
  ])("%s: a callback_token turns callbacks on and slows polling to poll_seconds_with_callbacks (default 300)", (_vendor, connection) => {
    const operator = connection("    callback_token: ${CB}");
    expect(callbackTokenOf(operator.connections.c)).toBe("callback-secret-value");
    expect(callbackPollSeconds(operator.connections, "c")).toBe(300);
    expect(operator.masker.mask("token callback-secret-value")).not.toContain("callback-secret-value");
    expect(callbackPollSeconds(connection("    callback_token: ${CB}\n    poll_seconds_with_callbacks: 120").connections, "c")).toBe(120);
  });

  it("keeps the normal backoff without a callback_token, and for unknown connections", () => {
    const operator = gitlab();
    expect(callbackTokenOf(operator.connections.c)).toBeUndefined();
    expect(callbackPollSeconds(operator.connections, "c")).toBeUndefined();
    expect(callbackPollSeconds(operator.connections, "constructor")).toBeUndefined();
  });

  it("refuses a callback_token written as a literal in the file", () => {
    expect(() => gitlab("    callback_token: literal-secret")).toThrow(/callback_token: credentials must be an environment reference/);
  });

  it("refuses Zadig callbacks on an API generation that cannot notify", () => {
    expect(() => zadig("    api: v1.7\n    callback_token: ${CB}")).toThrow(/callback_token needs api: openapi/);
  });
});
