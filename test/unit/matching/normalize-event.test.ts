import { normalizePullRequest, normalizePush } from "../../../src/matching/normalize-event.js";
import { pullRequestPayload, pushPayload, webhookExample } from "../../helpers/webhooks.js";

describe("normalizePush", () => {
  it("reads a branch push with its changed files", () => {
    const event = normalizePush(pushPayload({ files: ["src/a.ts"] }));
    expect(event).toMatchObject({ kind: "push", ref: "master", refType: "branch", deleted: false, changedFiles: ["src/a.ts"] });
  });

  it("reads a tag push; without commits the file list is unknown", () => {
    const event = normalizePush(webhookExample("push", (p) => p.ref === "refs/tags/simple-tag" && !p.deleted));
    expect(event).toMatchObject({ ref: "simple-tag", refType: "tag", changedFiles: undefined });
  });

  it("marks a deleted ref", () => {
    expect(normalizePush(webhookExample("push", (p) => p.deleted)).deleted).toBe(true);
  });

  it("treats a 20-commit payload as an unknown file list (GitHub truncates it)", () => {
    const payload = pushPayload();
    payload.commits = Array.from({ length: 20 }, () => ({ added: ["a"], modified: [], removed: [] }));
    expect(normalizePush(payload).changedFiles).toBeUndefined();
  });
});

describe("normalizePullRequest", () => {
  it("reads the PR's branches, head sha and author", () => {
    expect(normalizePullRequest(pullRequestPayload("opened"))).toMatchObject({
      action: "opened", number: 2, baseRef: "master", headRef: "changes", sha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821", fromFork: false, draft: false,
    });
  });

  it("detects a fork", () => {
    const event = normalizePullRequest(pullRequestPayload("opened", (p) => (p.pull_request.head.repo.full_name = "someone/fork")));
    expect(event.fromFork).toBe(true);
  });
});
