import { cli, PIPELINES, RELAY } from "./cli-io.js";

const files = { ".github/pipelines.yml": PIPELINES, "relay.yml": RELAY };

describe("pipeline-relay explain", () => {
  it("lists what a push runs, skips and ignores, with each run's variables", async () => {
    const result = await cli(["explain", "--event", "push", "--ref", "refs/heads/main", "--paths", "src/a.ts,README.md", "--repo", "acme/widgets", "--sha", "abc1234def"], files);
    expect(result.status).toBe(0);
    expect(result.out).toEqual([
      "push to branch main (abc1234), 2 changed files",
      "",
      "run     build (gitlab via corp-gitlab)",
      "          MODE=fast",
      "          RELAY_SHA=abc1234def",
      "          RELAY_REF=main",
      "          RELAY_REF_TYPE=branch",
      "          RELAY_REPOSITORY=acme/widgets",
      "          RELAY_REPOSITORY_URL=https://github.com/acme/widgets.git",
      "          RELAY_EVENT=push",
      "          RELAY_PIPELINE=build",
      "          RELAY_RUN_ID=<run id>",
      "skip    docs (gitlab via corp-gitlab): no changed file matches `paths` (neutral check written)",
      "ignore  release (zadig via corp-zadig): `on.push` lists only tags",
      "",
      "1 of 3 pipelines would run",
    ]);
  });

  it.each([
    ["a tag", ["--event", "push", "--ref", "refs/tags/v1.2"], ["ignore  build (gitlab via corp-gitlab): tag pushes need `on.push.tags`", "run     release (zadig via corp-zadig)"]],
    ["another branch", ["--event", "push", "--ref", "dev"], ["ignore  build (gitlab via corp-gitlab): branch `dev` matches none of branches `main`"]],
    ["a skip marker", ["--event", "push", "--ref", "main", "--message", "docs only [skip ci]"], ["skip    build (gitlab via corp-gitlab): the head commit says `[skip ci]` (neutral check written)", "skip    docs (gitlab via corp-gitlab): the head commit says `[skip ci]` (neutral check written)"]],
    ["no paths given", ["--event", "push", "--ref", "main"], ["note: no changed files given (--paths): path filters let every pipeline through, as when GitHub cannot list the files"]],
    ["a PR without the label", ["--event", "pull_request", "--base", "main"], ["skip    build (gitlab via corp-gitlab): needs one of the labels `ci`"]],
    ["a draft PR", ["--event", "pull_request", "--base", "main", "--labels", "ci", "--draft"], ["ignore  build (gitlab via corp-gitlab): draft pull requests need `drafts: true`"]],
    ["an action not in types", ["--event", "pull_request", "--action", "edited", "--labels", "ci"], ["ignore  build (gitlab via corp-gitlab): action `edited` is not in types `opened`, `synchronize`, `reopened`, `ready_for_review`"]],
    ["an unlisted bot", ["--event", "pull_request", "--labels", "ci", "--author", "dependabot[bot]"], ["waits   build (gitlab via corp-gitlab): @dependabot[bot] is a bot not listed in trusted_authors: waits for `/ok-to-test <sha>`"]],
    ["a bot relay.yml trusts", ["--event", "pull_request", "--labels", "ci", "--author", "renovate[bot]", "--operator", "relay.yml"], ["run     build (gitlab via corp-gitlab)"]],
    ["a fork", ["--event", "pull_request", "--labels", "ci", "--fork", "--author", "alice"], ["note: @alice opened this from a fork: pipelines start if @alice has write access (not checked offline), else after `/ok-to-test <sha>`", "run     build (gitlab via corp-gitlab)"]],
  ])("explains %s", async (_name, argv, lines) => {
    const result = await cli(["explain", ...argv], files, { GITLAB_TOKEN: "unused" });
    expect(result.status).toBe(0);
    for (const line of lines) expect(result.out).toContain(line);
  });

  it("reads a webhook payload file", async () => {
    const payload = {
      ref: "refs/heads/main", after: "f".repeat(40), deleted: false, pusher: { name: "alice" },
      head_commit: { message: "change docs" }, commits: [{ added: ["docs/intro.md"], modified: [], removed: [] }],
      repository: { full_name: "acme/widgets", clone_url: "https://github.com/acme/widgets.git" },
    };
    const result = await cli(["explain", "--payload", "push.json"], { ...files, "push.json": JSON.stringify(payload) });
    expect(result.out.slice(0, 3)).toEqual([`push to branch main (fffffff), 1 changed file`, "", "skip    build (gitlab via corp-gitlab): no changed file matches `paths`"]);
    expect(result.out).toContain("run     docs (gitlab via corp-gitlab)");
    expect(result.out).toContain("          RELAY_REPOSITORY=acme/widgets");
  });

  it.each([
    [["explain"], "--event push|pull_request or --payload file.json is required"],
    [["explain", "--event", "push"], "--ref is required for a push"],
    [["explain", "--event", "issues"], '--event must be push or pull_request, not "issues"'],
    [["explain", "--payload", "bad.json"], "bad.json: the payload is not a push event: ref:"],
  ])("%j is bad usage", async (argv, message) => {
    const result = await cli(argv, { ...files, "bad.json": "{}" });
    expect(result.status).toBe(2);
    expect(result.err.join("\n")).toContain(message);
  });

  it("stops with the config's problems first", async () => {
    const result = await cli(["explain", "--event", "push", "--ref", "main"], { ".github/pipelines.yml": "pipelines: []\n" });
    expect(result.status).toBe(1);
    expect(result.out[0]).toMatch(/^\.github\/pipelines\.yml:1:12: pipelines: /);
  });
});
