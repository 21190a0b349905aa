import { z } from "zod";
import type { TestSummary } from "../types.js";

/** Zadig's `TestSuite` (parsed from the job's JUnit file), only the counters. */
const testSuite = z.object({
  tests: z.number().int().min(0),
  failures: z.number().int().min(0),
  skips: z.number().int().min(0).default(0),
  errors: z.number().int().min(0).default(0),
});

/** Zadig's `TestReport`: a task's `test_reports[name]` and the `itreport` endpoints' answer. */
export const testReport = z.object({ functionTestSuite: testSuite.nullish() });
export type ZadigTestReport = z.infer<typeof testReport>;

/**
 * Adds up the function-test suites of a task. Zadig's own rule (model `TestSuite`):
 * total = tests + skips, passed = tests − failures − errors.
 * null: no suite at all, or suites without a single test (GitLab's adapter does the same), unless
 * the vendor's definition demands a pass rate: then an empty summary makes the missing tests fail it,
 * as a missing report fails a threshold set in the repository config.
 */
export function summarizeTestReports(reports: readonly ZadigTestReport[], source: string, vendorThreshold?: number): TestSummary | null {
  const suites = reports.flatMap((report) => (report.functionTestSuite ? [report.functionTestSuite] : []));
  const sum = (pick: (suite: (typeof suites)[number]) => number) => suites.reduce((total, suite) => total + pick(suite), 0);
  const total = sum((s) => s.tests + s.skips);
  if (total === 0) {
    return vendorThreshold === undefined
      ? null
      : { total: 0, passed: 0, failed: 0, skipped: 0, errored: 0, source: `${source} (no test report found)`, vendorThreshold };
  }
  return {
    total,
    passed: sum((s) => Math.max(0, s.tests - s.failures - s.errors)),
    failed: sum((s) => s.failures),
    skipped: sum((s) => s.skips),
    errored: sum((s) => s.errors),
    source,
    ...(vendorThreshold !== undefined ? { vendorThreshold } : {}),
  };
}
