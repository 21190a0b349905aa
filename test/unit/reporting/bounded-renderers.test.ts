import { ConfigError } from "../../../src/errors.js";
import { renderConfigProblems } from "../../../src/reporting/render-config-problems.js";
import { renderReport, type ReportInput } from "../../../src/reporting/render-report.js";
import { unknownStatusNote } from "../../../src/vendors/unknown-status.js";

const base: ReportInput = { pipeline: "backend", vendorName: "GitLab CI", state: "running", sha: "a".repeat(40), attempt: 1 };

describe("renderConfigProblems within GitHub's limit", () => {
  it.each([1, 10, 8_000, 50_000])("%i problems: title counts all, the summary fits and says how many are not listed", (count) => {
    const problems = Array.from({ length: count }, (_, i) => ({ path: `pipelines[${i}]`, problem: `Unrecognized key: "bogus_${i}"` }));
    const { title, summary } = renderConfigProblems(new ConfigError(".github/pipelines.yml", problems));
    expect(title).toBe(`.github/pipelines.yml has ${count} problem${count === 1 ? "" : "s"}`);
    expect(summary.length).toBeLessThanOrEqual(65_535);
    const listed = summary.split("\n").filter((line) => line.startsWith("| `pipelines[")).length;
    const more = /and (\d+) more problems? not listed here/.exec(summary);
    expect(listed + Number(more?.[1] ?? 0)).toBe(count);
  });

  it("cuts a single huge problem to one table row", () => {
    const { summary } = renderConfigProblems(new ConfigError("f", [{ path: "x", problem: `a|b\n${"c".repeat(100_000)}` }]));
    const row = summary.split("\n").find((line) => line.startsWith("| `x`"))!;
    expect(row.length).toBeLessThan(600);
    expect(row).toContain("a\\|b");
  });
});

describe("renderReport", () => {
  it("shows an unknown status word while the run is treated as running", () => {
    const note = unknownStatusNote("GitLab", "xyz");
    expect(renderReport({ ...base, unknownStatusNote: note }).summary).toContain(`> **Note:** ${note}`);
    expect(renderReport({ ...base, state: "success", unknownStatusNote: note }).summary).not.toContain(note);
  });

  it("fits a huge cancel reason and failure detail", () => {
    const view = renderReport({ ...base, state: "cancelled", cancelReason: "r".repeat(1_000), failureDetail: "d".repeat(200_000) });
    expect(view.title.length).toBeLessThanOrEqual(255);
    expect(view.text!.length).toBeLessThanOrEqual(65_535);
  });
});
