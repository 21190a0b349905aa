import { judgeTests } from "../../../src/runs/judge-tests.js";
import { GITHUB_OUTPUT_LIMIT, renderReport, type ReportInput } from "../../../src/reporting/render-report.js";
import { SecretMasker } from "../../../src/secrets.js";

const base: ReportInput = { pipeline: "backend", vendorName: "GitLab CI", state: "running", sha: "a".repeat(40), attempt: 1 };

describe("renderReport", () => {
  it.each([
    ["pending", "queued", undefined, "Starting on GitLab CI"],
    ["queued", "queued", undefined, "Queued on GitLab CI"],
    ["running", "in_progress", undefined, "Running on GitLab CI"],
    ["success", "completed", "success", "Passed"],
    ["failure", "completed", "failure", "Failed on GitLab CI"],
    ["cancelled", "completed", "cancelled", "Cancelled"],
    ["timed_out", "completed", "timed_out", "Timed out"],
    ["skipped", "completed", "neutral", "Skipped by GitLab CI"],
    ["error", "completed", "failure", "Could not run on GitLab CI"],
  ] as const)("%s → %s/%s", (state, status, conclusion, title) => {
    const view = renderReport({ ...base, state });
    expect(view).toMatchObject({ status, title });
    expect(view.conclusion).toBe(conclusion);
  });

  it("fails a green run that misses the threshold and shows counts, rate and threshold", () => {
    const judgement = judgeTests({ total: 10, passed: 8, failed: 2, skipped: 0, source: "GitLab test report" }, 90);
    const view = renderReport({ ...base, state: "success", judgement });
    expect(view.conclusion).toBe("failure");
    expect(view.title).toBe("Tests failed the threshold: pass rate 80% is below the threshold of 90%");
    expect(view.summary).toContain("| 10 | 8 | 2 | 0 | 0 | 80% | 90% |");
    expect(view.summary).toContain("Source: GitLab test report.");
  });

  it("says when the vendor built another commit", () => {
    const view = renderReport({ ...base, builtSha: "b".repeat(40) });
    expect(view.summary).toContain("built commit `bbbbbbbbbbbb`, not `aaaaaaaaaaaa`");
  });

  it("shows a manual gate as waiting", () => {
    expect(renderReport({ ...base, waitingForAction: true }).title).toBe("Waiting for a manual action on GitLab CI");
  });

  it("links the vendor run and shows the duration and attempt", () => {
    const view = renderReport({ ...base, state: "success", webUrl: "https://ci/1", startedAt: 0 + 1000, finishedAt: 1000 + 125_000, attempt: 2 });
    expect(view.summary).toContain("| Vendor run | [backend on GitLab CI](https://ci/1) |");
    expect(view.summary).not.toContain("[open]");
    expect(view.summary).not.toContain("| | |");
    expect(view.summary).toContain("| Duration | 2m 5s |");
    expect(view.summary).toContain("| Attempt | 2 |");
  });

  it("keeps the output within GitHub's limit", () => {
    const view = renderReport({ ...base, state: "failure", failureDetail: "x".repeat(100_000), note: "y".repeat(100_000) });
    expect(view.summary.length).toBeLessThanOrEqual(GITHUB_OUTPUT_LIMIT);
    expect(view.text!.length).toBeLessThanOrEqual(GITHUB_OUTPUT_LIMIT);
  });
});

describe("SecretMasker", () => {
  it.each([
    [["abcd1234"], "token abcd1234 and abcd1234", "token *** and ***"],
    [["abcd1234", "abcd12345678"], "abcd12345678", "***"],
    [["abc"], "abc", "abc"],
    [[], "nothing", "nothing"],
  ])("masks %j in %j", (secrets, text, masked) => {
    expect(new SecretMasker(secrets).mask(text)).toBe(masked);
  });
});
