import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MAX_KEPT_FAILURES, parseJunit, ResultsFormatError } from "../../../src/results/parse-junit.js";

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/junit/${name}.xml`, import.meta.url)), "utf8");

describe("parseJunit", () => {
  it.each([
    ["jest-junit", { total: 4, passed: 2, failed: 1, skipped: 1, errored: 0 }],
    ["pytest", { total: 5, passed: 2, failed: 1, skipped: 1, errored: 1 }],
    ["surefire", { total: 3, passed: 2, failed: 1, skipped: 0, errored: 0 }],
    ["go-junit-report", { total: 3, passed: 2, failed: 1, skipped: 0, errored: 0 }],
  ])("counts a %s report", (name, counts) => {
    expect(parseJunit(fixture(name))).toMatchObject(counts);
  });

  it("keeps failure details with file and line where the runner wrote them", () => {
    expect(parseJunit(fixture("pytest")).failures).toEqual([
      { suite: "pytest", name: "test_status", classname: "tests.test_api", kind: "failure", message: "AssertionError: assert 500 == 200", file: "tests/test_api.py", line: 9 },
      { suite: "pytest", name: "test_db", classname: "tests.test_api", kind: "error", message: 'failed on setup with "ConnectionError: refused"', file: "tests/test_api.py", line: 14 },
    ]);
    expect(parseJunit(fixture("jest-junit")).failures[0]).toMatchObject({ name: "math divides by zero", message: "Error: expect(received).toBe(expected) // Object.is equality", file: "src/math.test.ts" });
    expect(parseJunit(fixture("surefire")).failures[0]).toMatchObject({ suite: "com.acme.OrderServiceTest", message: "expected: <400> but was: <200>", file: undefined });
  });

  it("handles nested suites, empty failure elements and suites without cases", () => {
    const xml = `<testsuites>
      <testsuite name="outer"><testsuite name="inner"><testcase name="a"><failure/></testcase><testcase name="b"/></testsuite></testsuite>
      <testsuite name="summary-only" tests="10" failures="2" errors="1" skipped="3"/>
    </testsuites>`;
    expect(parseJunit(xml)).toMatchObject({ total: 12, passed: 5, failed: 3, errored: 1, skipped: 3 });
  });

  it.each([
    ["<testsuite><testcase></testsuite>", "not well-formed XML: Expected closing tag 'testcase'"],
    ["<html><body/></html>", "no <testsuites> or <testsuite> root element"],
    ["not xml at all", "not well-formed XML"],
  ])("refuses %j with the reason", (xml, reason) => {
    expect(() => parseJunit(xml)).toThrow(ResultsFormatError);
    expect(() => parseJunit(xml)).toThrow(reason);
  });

  it("keeps exact counts but a bounded number of failure details", () => {
    const cases = Array.from({ length: MAX_KEPT_FAILURES + 10 }, (_, i) => `<testcase name="t${i}"><failure message="x"/></testcase>`).join("");
    const parsed = parseJunit(`<testsuite name="big">${cases}</testsuite>`);
    expect(parsed.failed).toBe(MAX_KEPT_FAILURES + 10);
    expect(parsed.failures).toHaveLength(MAX_KEPT_FAILURES);
  });
});
