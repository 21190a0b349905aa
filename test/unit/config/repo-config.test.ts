import { parse as parseYaml } from "yaml";
import { parseRepoConfig } from "../../../src/config/load-repo-config.js";
import { parseOperatorConfig } from "../../../src/config/operator-config.js";
import { ConfigError } from "../../../src/errors.js";
import { renderConfigProblems } from "../../../src/reporting/render-config-problems.js";

const operator = parseOperatorConfig(
  {
    connections: {
      "corp-gitlab": { vendor: "gitlab", url: "https://gitlab.example.com", token: "${T}", repositories: ["acme/*"] },
      "private-gitlab": { vendor: "gitlab", url: "https://gitlab.example.com", token: "${T}", repositories: ["acme/secret"] },
    },
  },
  "relay.yml",
  { T: "token-value" },
);

const valid = `
pipelines:
  - name: backend
    connection: corp-gitlab
    gitlab: { project: acme/backend }
    on:
      push: { branches: [main, "release/*"], tags: ["v*"], paths: ["src/**"], paths_ignore: ["docs/**"] }
      pull_request: { branches: [main], types: [opened, synchronize], drafts: true }
    variables: { DEPLOY_ENV: staging, REPLICAS: 2 }
    tests: { threshold: 90 }
    timeout_minutes: 60
`;

function problemsOf(yamlText: string, repository = "acme/app"): Array<{ path: string; problem: string }> {
  try {
    parseRepoConfig(parseYaml(yamlText), repository, operator);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("repository config", () => {
  it("accepts the documented example and fills defaults", () => {
    const config = parseRepoConfig(parseYaml(valid), "acme/app", operator);
    expect(config.report).toBe("checks");
    expect(config.pipelines[0]).toMatchObject({
      name: "backend",
      gitlab: { project: "acme/backend" },
      variables: { DEPLOY_ENV: "staging", REPLICAS: "2" },
      on: { pull_request: { types: ["opened", "synchronize"], drafts: true } },
    });
  });

  it.each([
    ["an unknown top-level key", `pipelines: []\nextra: 1`, "(root)|Unrecognized key"],
    ["no pipelines", `pipelines: []`, "pipelines|"],
    ["an unknown pipeline key", valid.replace("timeout_minutes: 60", "timeout: 60"), "pipelines[0]|Unrecognized key"],
    ["an unknown trigger key", valid.replace("drafts: true", "draft: true"), "pipelines[0].on.pull_request|Unrecognized key"],
    ["an unknown PR action", valid.replace("types: [opened, synchronize]", "types: [opend]"), "pipelines[0].on.pull_request.types[0]|"],
    ["no vendor block", valid.replace("    gitlab: { project: acme/backend }\n", ""), "pipelines[0]|needs exactly one vendor block"],
    ["an unknown key in the vendor block", valid.replace("{ project: acme/backend }", "{ project: acme/backend, url: http://evil }"), "pipelines[0].gitlab|Unrecognized key"],
    ["a threshold above 100", valid.replace("threshold: 90", "threshold: 120"), "pipelines[0].tests.threshold|"],
    ["a RELAY_ variable", valid.replace("DEPLOY_ENV: staging", "RELAY_SHA: x"), "pipelines[0].variables.RELAY_SHA|set by pipeline-relay"],
    ["a bad pipeline name", valid.replace("name: backend", "name: 'back end'"), "pipelines[0].name|"],
    ["a duplicate name", `${valid}${valid.replace("pipelines:\n", "")}`, "pipelines[1].name|already used"],
    ["an unknown connection", valid.replace("connection: corp-gitlab", "connection: nope"), "pipelines[0].connection|unknown connection \"nope\""],
    ["a connection the repository may not use", valid.replace("connection: corp-gitlab", "connection: private-gitlab"), "pipelines[0].connection|may not be used by acme/app"],
  ])("reports %s with its path", (_name, yamlText, expected) => {
    const [path, fragment] = expected.split("|") as [string, string];
    const problems = problemsOf(yamlText);
    expect(problems.some((p) => p.path === (path === "(root)" ? "" : path) && p.problem.includes(fragment))).toBe(true);
  });

  it("renders problems as a path | problem table", () => {
    const error = new ConfigError(".github/pipelines.yml", [
      { path: "pipelines[0].on", problem: "bad | value" },
      { path: "", problem: "cannot be read" },
    ]);
    const output = renderConfigProblems(error);
    expect(output.title).toBe(".github/pipelines.yml has 2 problems");
    expect(output.summary).toContain("| `pipelines[0].on` | bad \\| value |");
    expect(output.summary).toContain("| `(file)` | cannot be read |");
  });
});
