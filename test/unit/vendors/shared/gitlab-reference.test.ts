import { referenceRemedy } from "../../../../src/vendors/gitlab/errors.js";

const pr = { number: 5, headRef: "feature", baseRef: "main", headSha: "a".repeat(40) };

describe("GitLab `Reference not found` remedy", () => {
  it.each([
    ["a configured ref", { target: { project: "g/p", ref: "release" }, ref: "feature" }, "the ref `release` set in the pipeline's gitlab block does not exist"],
    ["a fork's branch", { target: { project: "g/p" }, ref: "feature", pullRequest: { ...pr, fromFork: true } }, "the pull request comes from a fork"],
    ["a branch of the repository", { target: { project: "g/p" }, ref: "feature", pullRequest: { ...pr, fromFork: false } }, "the mirror has probably not synced this push"],
    ["a push", { target: { project: 42 }, ref: "main" }, "the branch or tag `main` is not on GitLab project 42 yet"],
  ])("%s", (_label, req, says) => {
    expect(referenceRemedy(req)).toContain(says);
  });
});
