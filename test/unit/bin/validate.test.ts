import { cli, PIPELINES, RELAY } from "./cli-io.js";

describe("pipeline-relay validate", () => {
  it("accepts a valid config offline and names its pipelines", async () => {
    const result = await cli(["validate"], { ".github/pipelines.yml": PIPELINES });
    expect(result).toEqual({ status: 0, out: [".github/pipelines.yml: valid (3 pipelines: build, docs, release)"], err: [] });
  });

  it("prints every schema problem with its line and column, and exits 1", async () => {
    const text = `pipelines:
  - name: build
    connection: corp-gitlab
    on:
      pull_request: { types: [opened, pushed] }
    colour: red
    gitlab: { project: acme/widgets }
  - name: bad name!
    on:
      push: {}
    gitlab: { project: x }
`;
    const result = await cli(["validate", "ci.yml"], { "ci.yml": text });
    expect(result.status).toBe(1);
    expect(result.out).toEqual([
      'ci.yml:5:39: pipelines[0].on.pull_request.types[1]: Invalid option: expected one of "opened"|"synchronize"|"reopened"|"ready_for_review"|"edited"|"labeled"|"unlabeled"',
      "ci.yml:6:5: pipelines[0].colour: unknown field `colour`",
      "ci.yml:8:11: pipelines[1].name: use 1-64 letters, digits, . _ - (starting with a letter or digit)",
      "ci.yml:8:5: pipelines[1].connection: expected string, received undefined",
      "4 problems in ci.yml",
    ]);
  });

  it("places a YAML syntax error", async () => {
    const result = await cli(["validate", "x.yml"], { "x.yml": "pipelines:\n  - name: a\n    on: [x\n" });
    expect([result.status, result.out[0]]).toEqual([1, "x.yml:4:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"]);
  });

  it("checks connections against relay.yml without its tokens", async () => {
    const files = { ".github/pipelines.yml": PIPELINES.replace("connection: corp-zadig", "connection: corp-zadg"), "relay.yml": RELAY };
    const result = await cli(["validate", "--operator", "relay.yml", "--repo", "other/x"], files);
    expect(result.status).toBe(1);
    expect(result.out).toEqual([
      '.github/pipelines.yml:3:17: pipelines[0].connection: connection "corp-gitlab" may not be used by other/x; ask the operator to add it to the connection\'s repositories',
      '.github/pipelines.yml:10:17: pipelines[1].connection: connection "corp-gitlab" may not be used by other/x; ask the operator to add it to the connection\'s repositories',
      '.github/pipelines.yml:18:17: pipelines[2].connection: unknown connection "corp-zadg"; this repository may use: (none)',
      "3 problems in .github/pipelines.yml",
    ]);
    const allowed = await cli(["validate", "--operator", "relay.yml", "--repo", "acme/widgets"], { ...files, ".github/pipelines.yml": PIPELINES });
    expect([allowed.status, allowed.err]).toEqual([0, []]);
  });

  it("reports every relay.yml problem, one per line", async () => {
    const relay = RELAY.replace("vendor: gitlab", "vendor: GitLab").replace("url: https://zadig.example.com", "url: zadig.example.com");
    const result = await cli(["validate", "--operator", "relay.yml"], { ".github/pipelines.yml": PIPELINES, "relay.yml": relay });
    expect(result.status).toBe(1);
    expect(result.err.map((line) => line.replace(/^.*relay\.yml: /, ""))).toEqual([
      'connections.corp-gitlab.vendor: expected one of gitlab, yunxiao, codearts, zadig, got "GitLab": did you mean `gitlab`?',
      'connections.corp-zadig.url: expected an https:// (or http://) URL, got "zadig.example.com"',
    ]);
  });

  it("says _extends is not followed offline", async () => {
    const result = await cli(["validate"], { ".github/pipelines.yml": `_extends: .github\n${PIPELINES}` });
    expect(result.status).toBe(0);
    expect(result.err).toEqual([".github/pipelines.yml: note: _extends: .github is not followed offline: this file is checked without it"]);
  });

  it.each([
    [["validate", "--nope"], 2],
    [["validate", "a.yml", "b.yml"], 2],
    [["validate", "missing.yml"], 2],
    [["frobnicate"], 2],
    [["help", "validate"], 0],
  ])("%j exits %i", async (argv, status) => {
    expect((await cli(argv, {})).status).toBe(status);
  });
});
