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
    ["a bad URL", { connections: { main: gitlab({ url: "not a url" }) } }, undefined, 'relay.yml: connections.main.url: expected an https:// (or http://) URL, got "not a url"'],
    ["an unknown field", { connections: { main: gitlab({ colour: "red" }) } }, undefined, "relay.yml: connections.main.colour: unknown field"],
    ["no repositories", { connections: { main: gitlab({ repositories: [] }) } }, undefined, "relay.yml: connections.main.repositories: expected at least 1 item, got a list"],
    ["a vendor in the wrong case", { connections: { main: gitlab({ vendor: "GitLab" }) } }, undefined, 'connections.main.vendor: expected one of gitlab, yunxiao, codearts, zadig, got "GitLab": did you mean `gitlab`?'],
    ["a wrong type", { connections: { main: gitlab({ timeout_seconds: "30s" }) } }, undefined, 'connections.main.timeout_seconds: expected number, got "30s"'],
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

  it("reports every problem in one pass, one line each, values shown except credentials", () => {
    const raw = {
      connections: {
        x: gitlab({ url: "gitlab.example.com", token: "${MISSING_TOKEN}" }),
        y: gitlab({ vendor: "GitLab" }),
        z: { vendor: "zadig", url: "https://zadig.example.com", token: "literal-value-in-file", repositories: ["acme/*"] },
        w: gitlab({ token: "${GITLAB_TOKEN}", url: "${GITLAB_TOKEN}" }),
      },
      tracker: { poll_max_seconds: -1 },
    };
    expect(errorOf(raw).message.split("\n")).toEqual([
      'relay.yml: connections.y.vendor: expected one of gitlab, yunxiao, codearts, zadig, got "GitLab": did you mean `gitlab`?',
      "relay.yml: connections.z.token: credentials must be an environment reference like ${GITLAB_TOKEN}, never a literal value in the file",
      "relay.yml: connections.x.token: environment variable MISSING_TOKEN is not set",
      'relay.yml: connections.x.url: expected an https:// (or http://) URL, got "gitlab.example.com"',
      'relay.yml: connections.w.url: expected an https:// (or http://) URL, got "${GITLAB_TOKEN}"',
      "relay.yml: tracker.poll_max_seconds: Too small: expected number to be >0, got -1",
    ]);
    expect(errorOf(raw).message).not.toContain("secret-value");
    expect(errorOf(raw).problems).toHaveLength(6);
  });

  it("never shows the value of a credential field", () => {
    const error = errorOf({ connections: { main: gitlab({ token: "${GITLAB_TOKEN}", token_header: "bearer", url: "https://gitlab.example.com" }), bad: gitlab({ token: 12345 }) } });
    expect(error.message).toBe("relay.yml: connections.bad.token: credentials must be an environment reference like ${GITLAB_TOKEN}, never a literal value in the file");
    expect(error.message).not.toContain("12345");
  });

  it.each([
    ["a connection field one level too far left", { connections: { main: gitlab(), repositories: ["acme/*"] } }, "connections.repositories.vendor: expected one of gitlab, yunxiao, codearts, zadig, got undefined; `repositories` is a connection field: is it indented one level too little?"],
    ["a tracker field at the top", { connections: { main: gitlab() }, poll_max_seconds: 30 }, "poll_max_seconds: unknown field; `poll_max_seconds` belongs under `tracker:`: check its indentation"],
    ["a section inside a connection", { connections: { main: gitlab({ tracker: {} }) } }, "connections.main.tracker: unknown field; `tracker` is a top-level section: indent it at the left margin"],
    ["a rate-limit field in the connection", { connections: { main: gitlab({ per_second: 5 }) } }, "connections.main.per_second: unknown field; `per_second` belongs under `rate_limit:`: check its indentation"],
  ])("names the real place of %s", (_name, raw, line) => {
    expect(errorOf(raw).message).toBe(`relay.yml: ${line}`);
  });

  it("keeps the one-problem constructor other code uses", () => {
    const error = new OperatorConfigError("relay.yml", "connections.a", "boom");
    expect([error.message, error.problems]).toEqual(["relay.yml: connections.a: boom", [{ path: "connections.a", problem: "boom" }]]);
  });
});

describe("operator config hostile names", () => {
  it.each(["constructor", "__proto__", "toString"])("treats vendor %s as unknown", (vendor) => {
    expect(errorOf({ connections: { main: gitlab({ vendor }) } }).message).toContain(`connections.main.vendor: expected one of gitlab, yunxiao, codearts, zadig, got "${vendor}"`);
  });
});
