import { failsOnlyOnKnownFlaky, findFlakyTests, outcomesOf } from "../../../src/results/flaky-tests.js";
import { parseJunit } from "../../../src/results/parse-junit.js";

const t = (name: string, suite = "api") => ({ suite, name });

describe("findFlakyTests", () => {
  it.each([
    ["failed then passed", [{ attempt: 1, failed: [t("a")], passed: [] }, { attempt: 2, failed: [], passed: [t("a")] }], [{ ...t("a"), failedIn: [1], passedIn: [2] }]],
    ["passed then failed", [{ attempt: 1, failed: [], passed: [t("a")] }, { attempt: 2, failed: [t("a")], passed: [] }], [{ ...t("a"), failedIn: [2], passedIn: [1] }]],
    ["failed twice", [{ attempt: 1, failed: [t("a")], passed: [] }, { attempt: 2, failed: [t("a")], passed: [] }], []],
    ["same name, other suite", [{ attempt: 1, failed: [t("a", "x")], passed: [] }, { attempt: 2, failed: [], passed: [t("a", "y")] }], []],
    ["one attempt only", [{ attempt: 1, failed: [t("a")], passed: [t("a")] }], []],
  ])("%s", (_case, attempts, expected) => {
    expect(findFlakyTests(attempts)).toEqual(expected);
  });

  it("reads outcomes from uploads, passed tests from JUnit", () => {
    const parsed = parseJunit(`<testsuite name="api" tests="2"><testcase name="a"/><testcase name="b"><failure message="x"/></testcase></testsuite>`);
    expect(parsed.passedTests).toEqual([t("a")]);
    expect(outcomesOf(3, [parsed])).toEqual({ attempt: 3, failed: [t("b")], passed: [t("a")] });
    expect(outcomesOf(1, [{ failures: [] }])).toEqual({ attempt: 1, failed: [], passed: [] });
  });
});

describe("failsOnlyOnKnownFlaky", () => {
  const failing = (names: string[], counted = names.length) => [{ failed: counted, errored: 0, failures: names.map((name) => t(name)) }];
  it.each([
    ["every failure known", failing(["a", "b"]), [t("a"), t("b"), t("c")], true],
    ["one failure unknown", failing(["a", "z"]), [t("a")], false],
    ["no test failed (a job did)", failing([]), [t("a")], false],
    ["more failures than listed", failing(["a"], 600), [t("a")], false],
  ])("%s", (_case, uploads, known, expected) => {
    expect(failsOnlyOnKnownFlaky(uploads, known)).toBe(expected);
  });
});
