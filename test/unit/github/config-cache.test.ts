import { pushMayChangeConfig } from "../../../src/github/config-cache.js";

describe("pushMayChangeConfig: whether a push to the default branch drops the cached config", () => {
  it.each([
    ["a commit touched the file", [".github/pipelines.yml", "src/app.ts"], false, true],
    ["the commits list their files and none is the file", ["src/app.ts", ".github/workflows/ci.yml"], false, false],
    ["a file of the same name elsewhere", ["docs/.github/pipelines.yml"], false, false],
    ["the files are not known (no commits, or more than GitHub lists)", undefined, false, true],
    ["a forced push can undo a change no listed commit shows", ["src/app.ts"], true, true],
  ])("%s", (_case, files, forced, expected) => {
    expect(pushMayChangeConfig(files, forced)).toBe(expected);
  });
});
