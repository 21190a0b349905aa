import type { ResultUpload } from "../storage/types.js";
import type { TestSummary } from "../vendors/types.js";
import { MAX_KEPT_FAILURES, type FailedTest } from "./parse-junit.js";

/** Several uploads for one run (suites, jobs) add up. Pure. */
export function combineUploads(uploads: readonly ResultUpload[]): { summary: TestSummary; failures: FailedTest[] } | null {
  if (uploads.length === 0) return null;
  const sum = (key: "total" | "passed" | "failed" | "skipped" | "errored") => uploads.reduce((total, upload) => total + upload[key], 0);
  return {
    summary: {
      total: sum("total"),
      passed: sum("passed"),
      failed: sum("failed"),
      skipped: sum("skipped"),
      errored: sum("errored"),
      source: `uploaded test results (${uploads.length} upload${uploads.length === 1 ? "" : "s"})`,
    },
    failures: uploads.flatMap((upload) => upload.failures).slice(0, MAX_KEPT_FAILURES),
  };
}
