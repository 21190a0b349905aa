import { getRepoConfigSchema } from "../../../src/config/repo-config.js";
import { matchMergeGroup, normalizeMergeGroup, type MergeGroupEvent } from "../../../src/matching/merge-group.js";
import { webhookExample } from "../../helpers/webhooks.js";

const pipelines = getRepoConfigSchema().parse({
  pipelines: [
    { name: "default-branch", connection: "c", gitlab: { project: "a/b" }, on: { merge_group: {} } },
    { name: "releases", connection: "c", gitlab: { project: "a/b" }, on: { merge_group: { branches: "release/*" } } },
    { name: "push-only", connection: "c", gitlab: { project: "a/b" }, on: { push: {} } },
  ],
}).pipelines;

const event = (baseRef: string): MergeGroupEvent => ({ action: "checks_requested", headSha: "a".repeat(40), headRef: "q", baseRef, defaultBranch: "main" });

describe("merge group matching", () => {
  it.each([
    ["main", ["default-branch"]],
    ["release/1.x", ["releases"]],
    ["develop", []],
  ])("a group merging into %s runs %j", (base, expected) => {
    expect(matchMergeGroup(event(base), pipelines).map((p) => p.name)).toEqual(expected);
  });

  it("reads GitHub's example payload: head commit, temporary branch and base branch without refs/heads/", () => {
    expect(normalizeMergeGroup(webhookExample("merge_group"))).toEqual({
      action: "checks_requested",
      headSha: "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d",
      headRef: "gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64",
      baseRef: "main",
      defaultBranch: "main",
      reason: undefined,
    });
  });

  it("ignores other actions and payloads without a head commit", () => {
    expect(normalizeMergeGroup({ ...webhookExample("merge_group"), action: "enqueued" })).toBeUndefined();
    expect(normalizeMergeGroup({ action: "checks_requested" })).toBeUndefined();
  });
});
