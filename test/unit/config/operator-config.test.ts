import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOperatorConfig, parseOperatorConfig } from "../../../src/config/operator-config.js";
import { OperatorConfigError } from "../../../src/errors.js";

const gitlab = (extra: Record<string, unknown> = {}) => ({
  vendor: "gitlab", url: "https://gitlab.example.com", token: "${GITLAB_TOKEN}", repositories: ["acme/*"], ...extra,
});

function errorOf(raw: unknown, env: Record<string, string> = { GITLAB_TOKEN: "secret-value" }): OperatorConfigError {
  try {
    parseOperatorConfig(raw, "relay.yml", env);
  } catch (error) {
    if (error instanceof OperatorConfigError) return error;
    throw error;
  }
  throw new Error("expected an OperatorConfigError");
}

describe("operator config", () => {
  it("resolves ${ENV} references, fills defaults and registers credentials for masking", () => {
    const config = parseOperatorConfig({ connections: { main: gitlab() } }, "relay.yml", { GITLAB_TOKEN: "secret-value" });
    expect(config.connections.main).toMatchObject({ token: "secret-value", rate_limit: { max_concurrent: 4, per_second: 10 }, timeout_seconds: 30 });
    expect(config.tracker).toEqual({ poll_initial_seconds: 5, poll_max_seconds: 60, default_timeout_minutes: 60, tick_seconds: 1, config_cache_seconds: 300 });
    expect(config.masker.mask("token=secret-value")).toBe("token=***");
  });

  it.each([
    ["a missing variable", { connections: { main: gitlab() } }, {}, "relay.yml: connections.main.token: environment variable GITLAB_TOKEN is not set"],
    ["an unknown vendor", { connections: { main: gitlab({ vendor: "jenkins" }) } }, undefined, "connections.main.vendor: expected one of gitlab"],
    ["a literal credential", { connections: { main: gitlab({ token: "literal-token-value" }) } }, undefined, "connections.main.token: credentials must be an environment reference"],
    ["a bad URL", { connections: { main: gitlab({ url: "not a url" }) } }, undefined, "connections.main.url:"],
    ["an unknown field", { connections: { main: gitlab({ colour: "red" }) } }, undefined, "connections.main:"],
    ["no repositories", { connections: { main: gitlab({ repositories: [] }) } }, undefined, "connections.main.repositories:"],
    ["no connections", {}, undefined, "connections: expected a mapping"],
  ])("stops on %s with the file and field", (_name, raw, env, message) => {
    const error = errorOf(raw, env ?? { GITLAB_TOKEN: "secret-value" });
    expect(error.message).toContain(message);
    expect(error.message).not.toContain("secret-value");
  });

  it("names a missing file and what to do", () => {
    expect(() => loadOperatorConfig("/nonexistent/relay.yml")).toThrow("/nonexistent/relay.yml: file not found");
  });

  it("reads a YAML file", () => {
    const dir = mkdtempSync(join(tmpdir(), "relay-"));
    const file = join(dir, "relay.yml");
    writeFileSync(file, "connections:\n  main:\n    vendor: gitlab\n    url: https://gitlab.example.com\n    token: ${T}\n    repositories: ['*/*']\n");
    expect(loadOperatorConfig(file, { T: "abcd1234" }).connections.main!.vendor).toBe("gitlab");
    writeFileSync(file, "connections: [unclosed");
    expect(() => loadOperatorConfig(file, {})).toThrow(`${file}: not valid YAML`);
  });
});
