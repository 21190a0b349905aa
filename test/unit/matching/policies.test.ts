import { getRepoConfigSchema, type PipelineConfig } from "../../../src/config/repo-config.js";
import { decideTrust } from "../../../src/github/trust.js";
import { decidePipelines, skippedReports } from "../../../src/matching/match-pipelines.js";
import { findSkipMarker } from "../../../src/matching/skip-marker.js";
import type { PullRequestEvent } from "../../../src/matching/trigger-event.js";

const pipeline = (pull_request: unknown): PipelineConfig =>
  getRepoConfigSchema().parse({ pipelines: [{ name: "p", connection: "c", gitlab: { project: 1 }, on: { pull_request } }] }).pipelines[0]!;

const pr = (overrides: Partial<PullRequestEvent> = {}): PullRequestEvent => ({
  kind: "pull_request", action: "opened", number: 1, state: "open", draft: false, baseRef: "main", headRef: "f", sha: "a".repeat(40),
  fromFork: false, author: "octocat", authorIsBot: false, sender: "octocat", labels: [], changedFiles: ["src/a.ts"], ...overrides,
});

describe("findSkipMarker", () => {
  it.each([
    ["Fix [skip ci]", "[skip ci]"],
    ["[CI SKIP] docs", "[ci skip]"],
    ["wip [no ci]", "[no ci]"],
    ["Docs\n\nskip-checks: true", "skip-checks: true"],
    ["Docs\n\nskip-checks:true\n", "skip-checks: true"],
    ["skip-checks: false", undefined],
    ["Mention skip ci without brackets", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("%j → %j", (message, marker) => {
    expect(findSkipMarker(message)).toBe(marker);
  });
});

describe("label rules", () => {
  it.each([
    ["no labels required", {}, pr(), "run", undefined],
    ["required label present", { labels: ["ci"] }, pr({ labels: ["ci"] }), "run", undefined],
    ["required label missing", { labels: ["ci", "full"] }, pr(), "skip", "needs one of the labels `ci`, `full`"],
    ["skip label present", { skip_labels: ["wip"] }, pr({ labels: ["wip"] }), "skip", "the label `wip` skips this pipeline"],
    ["skip label wins over a required one", { labels: ["ci"], skip_labels: ["wip"] }, pr({ labels: ["ci", "wip"] }), "skip", "the label `wip` skips this pipeline"],
    ["labeled re-evaluates a label rule", { labels: ["ci"] }, pr({ action: "labeled", labels: ["ci"] }), "run", undefined],
    ["unlabeled re-evaluates a skip rule", { skip_labels: ["wip"] }, pr({ action: "unlabeled" }), "run", undefined],
  ])("%s", (_name, rule, event, verdict, reason) => {
    const [decision] = decidePipelines(event, [pipeline(rule)]);
    expect(decision?.verdict).toBe(verdict);
    expect(decision && "reason" in decision ? decision.reason : undefined).toBe(reason);
  });

  it("labeling does not concern a pipeline without label rules", () => {
    expect(decidePipelines(pr({ action: "labeled" }), [pipeline({})])).toEqual([]);
  });

  it("an approval decides whatever the action", () => {
    expect(decidePipelines(pr({ action: "approved" }), [pipeline({})], { ignoreActionTypes: true })).toHaveLength(1);
  });
});

describe("decideTrust", () => {
  it.each([
    ["a branch of the repository itself", { author: "dev", authorIsBot: false, fromFork: false }, [], "trusted"],
    ["a fork", { author: "outsider", authorIsBot: false, fromFork: true }, [], "check-author"],
    ["an unlisted bot", { author: "dependabot[bot]", authorIsBot: true, fromFork: false }, [], "untrusted-bot"],
    ["a listed bot", { author: "dependabot[bot]", authorIsBot: true, fromFork: false }, ["Dependabot[bot]"], "trusted"],
    ["a listed fork author", { author: "friend", authorIsBot: false, fromFork: true }, ["friend"], "trusted"],
  ])("%s → %s", (_name, prFacts, trusted, decision) => {
    expect(decideTrust(prFacts, trusted)).toBe(decision);
  });
});

describe("skippedReports", () => {
  const required = (name: string, on: unknown) =>
    getRepoConfigSchema().parse({ pipelines: [{ name, connection: "c", gitlab: { project: 1 }, on, report_when_skipped: true }] }).pipelines[0]!;
  const optional = (name: string, on: unknown) =>
    getRepoConfigSchema().parse({ pipelines: [{ name, connection: "c", gitlab: { project: 1 }, on }] }).pipelines[0]!;
  const pipelines = [optional("runs", { pull_request: {} }), required("filtered", { pull_request: { labels: ["ci"] } }), optional("quiet", { pull_request: { labels: ["ci"] } })];

  it("without a marker: only required pipelines that a filter left out", () => {
    expect(skippedReports(decidePipelines(pr(), pipelines), undefined)).toEqual([{ pipeline: "filtered", reason: "needs one of the labels `ci`" }]);
  });

  it("with a marker: every pipeline that would have run, and the required ones", () => {
    expect(skippedReports(decidePipelines(pr(), pipelines), "[skip ci]")).toEqual([
      { pipeline: "runs", reason: "the head commit says `[skip ci]`" },
      { pipeline: "filtered", reason: "the head commit says `[skip ci]`" },
    ]);
  });
});
