import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface FailedTest {
  suite: string;
  name: string;
  classname?: string;
  /** `failure` or `error` */
  kind: "failure" | "error";
  message: string;
  /** Repository-relative file and line, when the runner wrote them (pytest, jest-junit with addFileAttribute). */
  file?: string;
  line?: number;
}

export interface ParsedResults {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  errored: number;
  failures: FailedTest[];
  /** Tests that passed, by suite and name (at most MAX_KEPT_PASSED), to tell flaky tests across attempts. */
  passedTests: TestId[];
}

/** A test case by its suite and name: what flaky-test detection compares across attempts. */
export interface TestId {
  suite: string;
  name: string;
}

export class ResultsFormatError extends Error {}

/** Keeps memory bounded for huge reports: counts are exact, only this many failures are kept for display. */
export const MAX_KEPT_FAILURES = 500;
/**
 * Passed tests kept per upload for flaky-test detection. Past this, the rest are not kept: a test that
 * passed beyond it cannot be shown as flaky from this upload (the counts stay exact).
 */
export const MAX_KEPT_PASSED = 5_000;

const ARRAY_ELEMENTS = new Set(["testsuite", "testcase", "failure", "error", "skipped"]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#text",
  isArray: (name) => ARRAY_ELEMENTS.has(name),
  processEntities: true,
});

type XmlNode = Record<string, any>;

/**
 * JUnit XML as jest-junit, pytest, Maven Surefire, Gradle and go-junit-report write it:
 * a `<testsuites>` root or a lone `<testsuite>`, suites nested in suites, and `failure` / `error` /
 * `skipped` children on test cases. Counts come from the test cases; a suite without cases falls
 * back to its own `tests` / `failures` / `errors` / `skipped` attributes.
 */
export function parseJunit(xml: string): ParsedResults {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new ResultsFormatError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const document = parser.parse(xml) as XmlNode;
  const roots: XmlNode[] = document.testsuites ? [document.testsuites] : document.testsuite ? [{ testsuite: document.testsuite }] : [];
  if (roots.length === 0) throw new ResultsFormatError("no <testsuites> or <testsuite> root element: is this a JUnit report?");

  const results: ParsedResults = { total: 0, passed: 0, failed: 0, skipped: 0, errored: 0, failures: [], passedTests: [] };
  for (const root of roots) for (const suite of asArray(root.testsuite)) addSuite(suite, results);
  return results;
}

function addSuite(suite: XmlNode, results: ParsedResults): void {
  const name = String(suite["@name"] ?? "");
  const cases = asArray(suite.testcase);
  for (const testcase of cases) addCase(name, testcase, results);
  if (cases.length === 0 && !suite.testsuite) addSuiteAttributes(suite, results);
  for (const nested of asArray(suite.testsuite)) addSuite(nested, results);
}

function addCase(suite: string, testcase: XmlNode, results: ParsedResults): void {
  results.total += 1;
  // An empty `<failure/>` parses as "", so presence is tested on the key, not on the value.
  if (testcase.failure !== undefined || testcase.error !== undefined) {
    const kind = testcase.failure !== undefined ? "failure" : "error";
    if (kind === "failure") results.failed += 1;
    else results.errored += 1;
    const detail = (kind === "failure" ? testcase.failure : testcase.error) as unknown[];
    if (results.failures.length < MAX_KEPT_FAILURES) results.failures.push(describeFailure(suite, testcase, kind, detail[0]));
  } else if (testcase.skipped !== undefined) {
    results.skipped += 1;
  } else {
    results.passed += 1;
    if (results.passedTests.length < MAX_KEPT_PASSED) results.passedTests.push({ suite, name: String(testcase["@name"] ?? "(unnamed)") });
  }
}

function describeFailure(suite: string, testcase: XmlNode, kind: "failure" | "error", detail: unknown): FailedTest {
  const node: XmlNode = typeof detail === "object" && detail !== null ? (detail as XmlNode) : { "#text": String(detail ?? "") };
  const message = String(node["@message"] ?? "").trim() || String(node["#text"] ?? "").trim().split("\n")[0] || kind;
  const line = Number(testcase["@line"] ?? node["@line"]);
  const file = testcase["@file"] ?? node["@file"];
  return {
    suite,
    name: String(testcase["@name"] ?? "(unnamed)"),
    classname: testcase["@classname"] !== undefined ? String(testcase["@classname"]) : undefined,
    kind,
    message,
    file: file !== undefined ? String(file) : undefined,
    line: Number.isInteger(line) && line > 0 ? line : undefined,
  };
}

function addSuiteAttributes(suite: XmlNode, results: ParsedResults): void {
  const count = (key: string) => Math.max(0, Number(suite[`@${key}`] ?? 0) || 0);
  const tests = count("tests");
  const failed = count("failures");
  const errored = count("errors");
  const skipped = count("skipped") || count("disabled");
  results.total += tests;
  results.failed += failed;
  results.errored += errored;
  results.skipped += skipped;
  results.passed += Math.max(0, tests - failed - errored - skipped);
}

function asArray(value: unknown): XmlNode[] {
  if (value === undefined || value === null || value === "") return [];
  return (Array.isArray(value) ? value : [value]).filter((item) => typeof item === "object" && item !== null) as XmlNode[];
}
