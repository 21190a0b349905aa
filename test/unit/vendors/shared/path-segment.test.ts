import { pathName, pathSegment } from "../../../../src/vendors/path-segment.js";
import { gitlabTarget } from "../../../../src/vendors/gitlab/schema.js";
import { zadigTarget } from "../../../../src/vendors/zadig/schema.js";

describe("values in vendor URL paths", () => {
  it.each([
    ["group/project", "group%2Fproject"],
    ["17", "17"],
    ["a b?c#d", "a%20b%3Fc%23d"],
  ])("%j is encoded as one segment: %s", (value, segment) => {
    expect(pathSegment(value)).toBe(segment);
  });

  it.each(["", ".", ".."])("%j is refused", (value) => {
    expect(() => pathSegment(value)).toThrow("cannot be a URL path segment");
  });

  it.each([
    ["group/project", true],
    ["group/sub.group/my_project-1", true],
    ["..", false],
    [".", false],
    ["group/../admin", false],
    ["group//project", false],
    ["/group/project", false],
    ["group/project/", false],
    ["group/pro ject", false],
    ["%2e%2e", false],
  ])("GitLab project %j is valid: %s", (project, valid) => {
    expect(gitlabTarget.safeParse({ project }).success).toBe(valid);
  });

  it.each([
    [42, true],
    ["42", true],
    [0, false],
    [-1, false],
  ])("GitLab numeric project id %j is valid: %s", (project, valid) => {
    expect(gitlabTarget.safeParse({ project }).success).toBe(valid);
  });

  it.each([
    ["build-deploy", true],
    ["..", false],
    ["a/b", false],
    ["", false],
  ])("Zadig workflow %j is valid: %s", (workflow, valid) => {
    expect(zadigTarget.safeParse({ project: "proxy", workflow }).success).toBe(valid);
  });

  it("says why a dot segment is refused", () => {
    const result = pathName("project", { nested: true }).safeParse("a/../b");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("project must not be empty or contain `.`, `..` or empty path segments");
  });
});
