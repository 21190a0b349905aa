import picomatch from "picomatch";
import { GlobRegistry } from "../../../src/matching/glob-patterns.js";

/**
 * Patterns with a literal base are decided by a regex shared by their shape, run on the input itself
 * (see compileShape); each case is checked against picomatch, and both patterns of a shape are registered
 * so that a shared regex cannot decide for the wrong base.
 */
describe("GlobRegistry.patternMatches agrees with picomatch", () => {
  const registry = new GlobRegistry();
  it.each([
    ["services/svc-1/**", "services/svc-1/src/a.ts"],
    ["services/svc-1/**", "services/svc-2/src/a.ts"],
    ["services/svc-2/**", "services/svc-2/src/a.ts"],
    ["services/svc-1/**", "services/svc-1"],
    ["services/svc-1/**", "services/svc-1/"],
    ["services/svc-1/**", "services/svc-10/a.ts"],
    ["services/svc-1/**", "services/svc-1/../x"],
    ["services/svc-1/**", "services/svc-1/.env"],
    ["services/svc-1/*.ts", "services/svc-1/a.ts"],
    ["services/svc-1/*.ts", "services/svc-1/a/b.ts"],
    ["services/svc-1/**/*.md", "services/svc-1/docs/a.md"],
    ["docs/v1.2/**", "docs/v1.2/a.md"],
    ["docs/v1.2/**", "docs/v1x2/a.md"],
    ["lib/!(x).ts", "lib/y.ts"],
    ["lib/!(x).ts", "lib/x.ts"],
    ["lib/{a,b}/**", "lib/b/c"],
    // A single-segment literal: picomatch's regex nests its opening groups.
    ["package.json", "package.json"],
    ["package.json", "package.jsonx"],
    ["package.json", "packageXjson"],
    ["apps/web/package.json", "apps/web/package.json"],
    ["apps/web/package.json", "apps/web/package.json/x"],
    // picomatch accepts an input equal to the glob itself, before its regex.
    ["src/[ab]", "src/[ab]"],
    ["src/[ab]", "src/a"],
    ["src/(x)", "src/(x)"],
    ["src/**", "src\\a.ts"],
  ])("%s on %s", (pattern, input) => {
    const patternId = registry.internPattern(pattern);
    expect(registry.patternMatches(patternId, input)).toBe(picomatch.isMatch(input, pattern, { dot: true }));
  });
});
