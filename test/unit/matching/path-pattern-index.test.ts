import { literalBase, lookupKeys, PathPatternIndex } from "../../../src/matching/path-pattern-index.js";

describe("literalBase", () => {
  it.each([
    ["services/api/**", "services/api"],
    ["services/api/src/*.ts", "services/api/src"],
    ["libs/shared-1/**/*.md", "libs/shared-1"],
    [".github/workflows/*", ".github/workflows"],
    ["package.json", "package.json"],
    ["docs/v1.2/**", "docs/v1.2"],
    ["a/b{c,d}/e", "a"],
    ["foo/!(bar)/**", "foo"],
    ["foo/+(a|b)/x", "foo"],
    ["**/*.md", undefined],
    ["*.ts", undefined],
    ["{src,docs}/**", undefined],
    ["@(a|b)/x", undefined],
    ["[ab]/x", undefined],
    ["!docs/**", undefined],
    ["./src/**", undefined],
    ["a/./b/*", undefined],
    ["a/../b/*", undefined],
    ["/abs/*", undefined],
    ["foo\\*bar", undefined],
    ["c++/src/**", undefined],
  ])("%s → %s", (pattern, base) => {
    expect(literalBase(pattern)).toBe(base);
  });
});

describe("lookupKeys", () => {
  it.each([
    ["a/b/c.ts", ["a", "a/b", "a/b/c.ts"]],
    ["README.md", ["README.md"]],
    [".github/workflows/ci.yml", [".github", ".github/workflows", ".github/workflows/ci.yml"]],
    ["a//b", ["a", "a/", "a//b"]],
    ["src/", ["src", "src/"]],
  ])("%s", (file, keys) => {
    expect(lookupKeys(file)).toEqual(keys);
  });
});

describe("PathPatternIndex candidates", () => {
  const patterns = ["services/api/**", "services/api/src/*.ts", "services/web/**", "services/**", "package.json", "**/*.md", "!docs/**", "docs/**"];
  const index = new PathPatternIndex();
  patterns.forEach((pattern, id) => index.add(id, literalBase(pattern)));
  const candidates = (file: string) => {
    const out: number[] = [];
    index.collectCandidatePairs([file], out, []);
    return out.map((id) => patterns[id]).sort();
  };

  it.each([
    ["services/api/src/main.ts", ["services/**", "services/api/**", "services/api/src/*.ts"]],
    ["services/web/index.html", ["services/**", "services/web/**"]],
    ["services/api", ["services/**", "services/api/**"]],
    ["services", ["services/**"]],
    ["package.json", ["package.json"]],
    ["packages/x/package.json", []],
    ["docs/guide.md", ["docs/**"]],
    ["servicesX/api/a.ts", []],
    ["services\\api\\a.ts", ["docs/**", "package.json", "services/**", "services/api/**", "services/api/src/*.ts", "services/web/**"]],
  ])("%s", (file, expected) => {
    expect(candidates(file)).toEqual([...expected].sort());
  });

  it("pairs the candidates of many files with their file, in file order", () => {
    const patternIds: number[] = [];
    const fileIndexes: number[] = [];
    index.collectCandidatePairs(["services/web/a.ts", "README.md", "package.json"], patternIds, fileIndexes);
    const pairs = patternIds.map((id, pair) => `${fileIndexes[pair]} ${patterns[id]}`);
    expect(pairs.sort()).toEqual(["0 services/**", "0 services/web/**", "2 package.json"]);
    expect(fileIndexes).toEqual([...fileIndexes].sort());
  });

  it("keeps patterns without a literal base apart, each once", () => {
    index.add(5, literalBase("**/*.md"));
    expect(index.unanchoredPatternIds.map((id) => patterns[id])).toEqual(["**/*.md", "!docs/**"]);
    expect(index.anchoredPatternIds).toHaveLength(6);
  });
});
