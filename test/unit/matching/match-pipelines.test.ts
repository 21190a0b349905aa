import { getRepoConfigSchema, type PipelineConfig } from "../../../src/config/repo-config.js";
import { matchesPaths, matchPipelines, needsChangedFiles } from "../../../src/matching/match-pipelines.js";
import type { PullRequestEvent, PushEvent } from "../../../src/matching/trigger-event.js";

function pipeline(on: unknown): PipelineConfig {
  const config = getRepoConfigSchema().parse({ pipelines: [{ name: "p", connection: "c", gitlab: { project: 1 }, on }] });
  return config.pipelines[0]!;
}

const push = (overrides: Partial<PushEvent> = {}): PushEvent => ({
  kind: "push", ref: "main", refType: "branch", sha: "a".repeat(40), deleted: false, changedFiles: ["src/app.ts"], pusher: "octocat", ...overrides,
});

const pr = (overrides: Partial<PullRequestEvent> = {}): PullRequestEvent => ({
  kind: "pull_request", action: "opened", number: 1, state: "open", draft: false, baseRef: "main", headRef: "feature",
  sha: "b".repeat(40), fromFork: false, author: "octocat", authorIsBot: false, sender: "octocat", labels: [], changedFiles: ["src/app.ts"], ...overrides,
});

describe("push rules", () => {
  it.each([
    ["branch glob matches", { push: { branches: ["main"] } }, push(), true],
    ["branch glob misses", { push: { branches: ["release/*"] } }, push(), false],
    ["single-segment star does not cross /", { push: { branches: ["release/*"] } }, push({ ref: "release/1/hotfix" }), false],
    ["double star crosses /", { push: { branches: ["release/**"] } }, push({ ref: "release/1/hotfix" }), true],
    ["no branches and no tags: every branch", { push: {} }, push({ ref: "anything" }), true],
    ["no branches and no tags: no tag", { push: {} }, push({ ref: "v1", refType: "tag" }), false],
    ["tags only: branches do not fire", { push: { tags: ["v*"] } }, push(), false],
    ["tag glob matches", { push: { tags: ["v*"] } }, push({ ref: "v1.2.0", refType: "tag" }), true],
    ["tag glob misses", { push: { tags: ["v*"] } }, push({ ref: "nightly", refType: "tag" }), false],
    ["tags ignore path filters", { push: { tags: ["v*"], paths: ["docs/**"] } }, push({ ref: "v1", refType: "tag", changedFiles: [] }), true],
    ["branch deletion never fires", { push: { branches: ["main"] } }, push({ deleted: true }), false],
    ["no push rule", { pull_request: {} }, push(), false],
    ["paths match", { push: { paths: ["src/**"] } }, push(), true],
    ["paths miss", { push: { paths: ["docs/**"] } }, push(), false],
    ["paths_ignore covers every file", { push: { paths_ignore: ["src/**"] } }, push(), false],
    ["paths_ignore leaves one file", { push: { paths_ignore: ["docs/**"] } }, push({ changedFiles: ["docs/a.md", "src/b.ts"] }), true],
    ["ignore wins over paths", { push: { paths: ["src/**"], paths_ignore: ["src/generated/**"] } }, push({ changedFiles: ["src/generated/x.ts"] }), false],
    ["unknown file list passes path filters", { push: { paths: ["docs/**"] } }, push({ changedFiles: undefined }), true],
    ["a single glob string is accepted", { push: { branches: "main" } }, push(), true],
  ])("%s", (_name, on, event, expected) => {
    expect(matchPipelines(event, [pipeline(on)])).toHaveLength(expected ? 1 : 0);
  });
});

describe("pull_request rules", () => {
  it.each([
    ["default types include opened", { pull_request: {} }, pr(), true],
    ["default types include synchronize", { pull_request: {} }, pr({ action: "synchronize" }), true],
    ["default types include reopened", { pull_request: {} }, pr({ action: "reopened" }), true],
    ["default types include ready_for_review", { pull_request: {} }, pr({ action: "ready_for_review" }), true],
    ["default types exclude labeled", { pull_request: {} }, pr({ action: "labeled" }), false],
    ["types can be narrowed", { pull_request: { types: ["opened"] } }, pr({ action: "synchronize" }), false],
    ["types can add labeled", { pull_request: { types: ["labeled"] } }, pr({ action: "labeled" }), true],
    ["target branch glob matches", { pull_request: { branches: ["main"] } }, pr(), true],
    ["target branch glob misses", { pull_request: { branches: ["release/*"] } }, pr(), false],
    ["head branch is not the target", { pull_request: { branches: ["feature"] } }, pr(), false],
    ["drafts skipped by default", { pull_request: {} }, pr({ draft: true }), false],
    ["drafts run with drafts: true", { pull_request: { drafts: true } }, pr({ draft: true }), true],
    ["closed never triggers", { pull_request: {} }, pr({ action: "closed", state: "closed" }), false],
    ["closed state never triggers", { pull_request: { types: ["opened", "edited"] } }, pr({ action: "edited", state: "closed" }), false],
    ["paths apply to PR files", { pull_request: { paths: ["docs/**"] } }, pr(), false],
    ["no pull_request rule", { push: {} }, pr(), false],
  ])("%s", (_name, on, event, expected) => {
    expect(matchPipelines(event, [pipeline(on)])).toHaveLength(expected ? 1 : 0);
  });

  it("keeps config order and returns every matching pipeline", () => {
    const config = getRepoConfigSchema().parse({
      pipelines: [
        { name: "a", connection: "c", gitlab: { project: 1 }, on: { pull_request: {} } },
        { name: "b", connection: "c", gitlab: { project: 1 }, on: { push: {} } },
        { name: "c", connection: "c", gitlab: { project: 1 }, on: { pull_request: { branches: ["main"] } } },
      ],
    });
    expect(matchPipelines(pr(), config.pipelines).map((p) => p.name)).toEqual(["a", "c"]);
  });
});

describe("changed files", () => {
  it.each([
    [undefined, undefined, ["x"], true],
    [["src/**"], undefined, [], false],
    [undefined, ["docs/**"], [], false],
    [["**/*.ts"], undefined, [".github/x.ts"], true],
  ])("paths=%j ignore=%j files=%j → %s", (paths, ignore, files, expected) => {
    expect(matchesPaths(files, paths, ignore)).toBe(expected);
  });

  it("asks for the PR's files only when a pipeline filters on paths", () => {
    expect(needsChangedFiles(pr({ changedFiles: undefined }), [pipeline({ pull_request: {} })])).toBe(false);
    expect(needsChangedFiles(pr({ changedFiles: undefined }), [pipeline({ pull_request: { paths: ["src/**"] } })])).toBe(true);
    expect(needsChangedFiles(pr(), [pipeline({ pull_request: { paths: ["src/**"] } })])).toBe(false);
  });
});
