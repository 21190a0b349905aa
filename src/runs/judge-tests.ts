import type { TestSummary } from "../vendors/types.js";

export interface TestJudgement {
  /** `not-judged`: no threshold applies; the counts (if any) are informational. */
  verdict: "pass" | "fail" | "not-judged";
  /** Pass rate in percent, when tests ran. */
  rate?: number;
  threshold?: number;
  summary: TestSummary | null;
  reason: string;
}

/** Pass rate = passed / (total − skipped) × 100, compared with the repository's threshold (or the vendor's own). */
export function judgeTests(summary: TestSummary | null, configuredThreshold?: number): TestJudgement {
  const threshold = configuredThreshold ?? summary?.vendorThreshold;
  if (!summary) {
    return threshold === undefined
      ? { verdict: "not-judged", summary, reason: "no test report" }
      : { verdict: "fail", threshold, summary, reason: `no test report was found, but the pipeline requires a pass rate of at least ${threshold}%` };
  }
  const executed = summary.total - summary.skipped;
  if (executed <= 0) {
    return threshold === undefined
      ? { verdict: "not-judged", summary, reason: "no tests were executed" }
      : { verdict: "fail", threshold, summary, reason: `no tests were executed (${summary.skipped} skipped); the threshold is ${threshold}%` };
  }
  const rate = (summary.passed / executed) * 100;
  if (threshold === undefined) return { verdict: "not-judged", rate, summary, reason: `pass rate ${formatRate(rate)}` };
  return rate >= threshold
    ? { verdict: "pass", rate, threshold, summary, reason: `pass rate ${formatRate(rate)} meets the threshold of ${threshold}%` }
    : { verdict: "fail", rate, threshold, summary, reason: `pass rate ${formatRate(rate)} is below the threshold of ${threshold}%` };
}

export function formatRate(rate: number): string {
  // Never round a failing 89.99 up to a passing-looking 90%.
  return `${Math.floor(rate * 100) / 100}%`;
}
