import { formatRate, type TestJudgement } from "../runs/judge-tests.js";
import type { FailedTest } from "../results/parse-junit.js";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
}

/** How many failed tests the summary lists; the rest are counted. */
export const LISTED_FAILURES = 20;
/** Annotations go to GitHub 50 per request; past this many the rest are not sent (they cost a write each 50). */
export const MAX_ANNOTATIONS = 200;

/** Pure: the tests section of a check-run summary: counts, rate, threshold, verdict and the first failed tests. */
export function renderTests(judgement: TestJudgement, failedTests: readonly FailedTest[] = []): string {
  const lines = ["### Tests"];
  const s = judgement.summary;
  if (s) {
    lines.push(
      "",
      "| total | passed | failed | errored | skipped | pass rate | threshold |",
      "|---|---|---|---|---|---|---|",
      `| ${s.total} | ${s.passed} | ${s.failed} | ${s.errored ?? 0} | ${s.skipped} | ${judgement.rate === undefined ? "–" : formatRate(judgement.rate)} | ${judgement.threshold === undefined ? "none" : `${judgement.threshold}%`} |`,
      "",
      `Source: ${s.source}.`,
    );
  }
  const verdict = judgement.verdict === "pass" ? "✅" : judgement.verdict === "fail" ? "❌" : "ℹ️";
  lines.push("", `${verdict} ${judgement.reason.charAt(0).toUpperCase()}${judgement.reason.slice(1)}.`);
  if (failedTests.length > 0) {
    lines.push("", "#### Failed tests", "");
    for (const test of failedTests.slice(0, LISTED_FAILURES)) {
      const where = test.file ? ` (${test.file}${test.line ? `:${test.line}` : ""})` : "";
      lines.push(`- \`${oneLine(test.suite || test.classname || "")}\` › **${oneLine(test.name)}**${where}: ${oneLine(test.message, 300)}`);
    }
    const more = (s ? s.failed + (s.errored ?? 0) : failedTests.length) - Math.min(failedTests.length, LISTED_FAILURES);
    if (more > 0) lines.push(`- …and ${more} more`);
  }
  return lines.join("\n");
}

/** Failed tests that name a file and line become annotations on that line. Pure. */
export function annotationsFor(failedTests: readonly FailedTest[]): CheckAnnotation[] {
  return failedTests
    .filter((test): test is FailedTest & { file: string; line: number } => test.file !== undefined && test.line !== undefined)
    .slice(0, MAX_ANNOTATIONS)
    .map((test) => ({
      path: test.file.replace(/^\.\//, ""),
      start_line: test.line,
      end_line: test.line,
      annotation_level: "failure",
      title: `${test.kind === "error" ? "Error" : "Failed"}: ${oneLine(test.name, 200)}`,
      message: test.message.slice(0, 4000),
    }));
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
