import { closestKey, describeYamlError, editDistance } from "../../../src/config/config-hints.js";
import { connectionProblems } from "../../../src/config/load-repo-config.js";
import { parse } from "yaml";

describe("did you mean", () => {
  const known = ["timeout_minutes", "connection", "variables", "variables_from_comment", "branches", "paths_ignore", "on"];
  it.each([
    ["timout_minutes", "timeout_minutes"],
    ["tiemout_minutes", "timeout_minutes"],
    ["conection", "connection"],
    ["Connection", "connection"],
    ["branchs", "branches"],
    ["paths-ignore", "paths_ignore"],
    ["colour", undefined],
    ["x", undefined],
  ])("%j → %j", (unknown, suggestion) => {
    expect(closestKey(unknown, known)).toBe(suggestion);
  });

  it.each([
    ["", "", 0],
    ["abc", "abc", 0],
    ["abc", "acb", 1],
    ["kitten", "sitting", 3],
  ])("editDistance(%j, %j) = %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe("describeYamlError", () => {
  const errorOf = (text: string) => {
    try {
      parse(text);
    } catch (error) {
      return error;
    }
    throw new Error("parsed");
  };
  it.each([
    ["pipelines: [unclosed", "line 1, column 21"],
    ["a: 1\nb:\n  - x\n - y", "line 4, column 1"],
  ])("%j is reported at %s", (text, path) => {
    expect(describeYamlError(errorOf(text))).toMatchObject({ path, problem: expect.stringMatching(/^YAML syntax error: /) });
  });

  it("finds the YAML error wrapped by the config plugin", () => {
    const wrapped = new Error("[@probot/octokit-plugin-config] Configuration could not be parsed (invalid YAML)", { cause: errorOf("a: [") });
    expect(describeYamlError(wrapped)?.path).toMatch(/^line 1, column \d+$/);
  });

  it("is undefined for other errors", () => {
    expect(describeYamlError(new Error("network"))).toBeUndefined();
  });
});

describe("connectionProblems: own properties only", () => {
  const operator = {
    connections: {
      "corp-gitlab": { vendor: "gitlab", repositories: ["acme/*"] },
      other: { vendor: "zadig", repositories: ["else/*"] },
    },
  } as never;
  it.each([
    ["constructor", 'unknown connection "constructor"; this repository may use: corp-gitlab'],
    ["__proto__", 'unknown connection "__proto__"; this repository may use: corp-gitlab'],
    ["toString", 'unknown connection "toString"; this repository may use: corp-gitlab'],
    ["other", 'connection "other" may not be used by acme/app; ask the operator to add it to the connection\'s repositories'],
  ])("connection %j", (name, problem) => {
    expect(connectionProblems({ pipelines: [{ connection: name }] }, "acme/app", operator)[0]).toEqual({ path: "pipelines[0].connection", problem });
  });

  it("checks the vendor block against the connection's vendor", () => {
    expect(connectionProblems({ pipelines: [{ connection: "corp-gitlab", zadig: {} }] }, "acme/app", operator)).toEqual([
      { path: "pipelines[0].connection", problem: 'connection "corp-gitlab" is a gitlab connection, but the pipeline has a zadig block' },
    ]);
  });

  it.each([null, 7, { pipelines: "x" }, { pipelines: [null, 3, { connection: 5 }] }])("ignores shapes the schema reports (%j)", (raw) => {
    expect(connectionProblems(raw, "acme/app", operator)).toEqual([]);
  });
});
