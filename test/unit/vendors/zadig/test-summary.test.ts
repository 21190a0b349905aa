import { definitionThreshold, type ZadigDefinition } from "../../../../src/vendors/zadig/definition-schema.js";
import { summarizeTestReports, testReport } from "../../../../src/vendors/zadig/test-summary.js";
import { vendorFixture } from "../../../helpers/fixtures.js";

const suite = (tests: number, failures: number, skips: number, errors: number) => ({ functionTestSuite: { tests, failures, skips, errors } });

describe("summarizeTestReports", () => {
  it.each([
    ["one suite", [suite(9, 1, 1, 0)], { total: 10, passed: 8, failed: 1, skipped: 1, errored: 0 }],
    ["errors are not passes", [suite(120, 3, 4, 2)], { total: 124, passed: 115, failed: 3, skipped: 4, errored: 2 }],
    ["two suites add up", [suite(10, 0, 0, 0), suite(5, 2, 1, 1)], { total: 16, passed: 12, failed: 2, skipped: 1, errored: 1 }],
    ["a report without a function suite is left out", [suite(3, 0, 0, 0), { functionTestSuite: null }, {}], { total: 3, passed: 3, failed: 0, skipped: 0, errored: 0 }],
  ])("%s", (_label, reports, expected) => {
    expect(summarizeTestReports(reports.map((r) => testReport.parse(r)), "src")).toEqual({ ...expected, source: "src" });
  });

  it.each([
    ["no reports", []],
    ["only performance reports", [{}]],
    ["suites without tests", [suite(0, 0, 0, 0)]],
  ])("null for %s", (_label, reports) => {
    expect(summarizeTestReports(reports.map((r) => testReport.parse(r)), "src")).toBeNull();
  });

  it("an empty summary carries the vendor threshold when no report exists, so the missing tests fail it", () => {
    expect(summarizeTestReports([], "Zadig", 80)).toEqual({ total: 0, passed: 0, failed: 0, skipped: 0, errored: 0, source: "Zadig (no test report found)", vendorThreshold: 80 });
  });

  it("reads a task's test_reports (fixture) and carries the vendor threshold", () => {
    const task = vendorFixture("zadig", "v17_task_detail.passed_with_tests.schema");
    const reports = Object.values(task.test_reports).map((r) => testReport.parse(r));
    expect(summarizeTestReports(reports, "Zadig", 85)).toEqual({ total: 124, passed: 115, failed: 3, skipped: 4, errored: 2, source: "Zadig", vendorThreshold: 85 });
  });

  it("reads the itreport answer (fixture)", () => {
    expect(summarizeTestReports([testReport.parse(vendorFixture("zadig", "openapi_itreport.schema"))], "Zadig")).toMatchObject({ total: 40, passed: 38, failed: 1, errored: 1 });
  });
});

describe("definitionThreshold", () => {
  const testing = (threshold?: number) => ({ type: "testing" as const, product_name: "p", group_name: "g", service_name: "s", container_name: "c", command: "t", result_path: "r", threshold });
  const v2 = (...sub_tasks: Extract<ZadigDefinition, { type: "pipeline-v2" }>["sub_tasks"]): ZadigDefinition => ({
    type: "pipeline-v2",
    description: "",
    enabled: true,
    sub_tasks,
  });
  const v1 = (test_threshold: number): ZadigDefinition => ({
    type: "pipeline-v1", test_threshold, repo_owner: "o", repo_name: "r", run_build: true, run_deploy: false, run_deploy_cs: false, run_test: true, run_distribute: false, enabled: true,
  });

  it.each<[string, ZadigDefinition | undefined, number | undefined]>([
    ["no definition", undefined, undefined],
    ["V1 test_threshold", v1(80), 80],
    ["V1 test_threshold 0 (the seed's value) is no threshold", v1(0), undefined],
    ["V2 testing threshold", v2(testing(90)), 90],
    ["V2: the strictest of several", v2(testing(70), testing(95)), 95],
    ["V2 without a threshold", v2(testing()), undefined],
    ["V2 without testing", v2({ type: "jira" }), undefined],
  ])("%s", (_label, definition, expected) => {
    expect(definitionThreshold(definition)).toBe(expected);
  });
});
