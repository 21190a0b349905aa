import { concludeRun, commitStatusState } from "../../../src/runs/conclusion.js";
import { formatRate, judgeTests } from "../../../src/runs/judge-tests.js";
import { nextPollDelayMs } from "../../../src/runs/next-poll-delay.js";

const summary = (total: number, passed: number, skipped = 0, vendorThreshold?: number) => ({
  total, passed, failed: total - passed - skipped, skipped, source: "test", vendorThreshold,
});

describe("judgeTests", () => {
  it.each([
    ["no threshold, no report", null, undefined, "not-judged", undefined],
    ["threshold, no report", null, 90, "fail", undefined],
    ["rate meets threshold", summary(10, 9), 90, "pass", 90],
    ["rate below threshold", summary(10, 8), 90, "fail", 80],
    ["skipped tests do not count", summary(12, 9, 2), 90, "pass", 90],
    ["everything skipped", summary(5, 0, 5), 50, "fail", undefined],
    ["no threshold is informational", summary(10, 5), undefined, "not-judged", 50],
    ["vendor threshold applies when config has none", summary(10, 8, 0, 90), undefined, "fail", 80],
    ["config threshold wins over vendor's", summary(10, 8, 0, 90), 75, "pass", 80],
    ["threshold 0 passes any executed run", summary(10, 0), 0, "pass", 0],
    ["threshold 100 needs every test", summary(1000, 999), 100, "fail", 99.9],
  ])("%s", (_name, tests, threshold, verdict, rate) => {
    const judgement = judgeTests(tests, threshold);
    expect(judgement.verdict).toBe(verdict);
    expect(judgement.rate).toBe(rate);
  });

  it("never rounds a failing rate up", () => {
    expect(formatRate((8999 / 10000) * 100)).toBe("89.99%");
  });
});

describe("concludeRun", () => {
  const fail = judgeTests(summary(10, 1), 90);
  const pass = judgeTests(summary(10, 10), 90);
  it.each([
    ["success", pass, "success"],
    ["success", fail, "failure"],
    ["success", undefined, "success"],
    ["failure", undefined, "failure"],
    ["error", undefined, "failure"],
    ["cancelled", undefined, "cancelled"],
    ["timed_out", undefined, "timed_out"],
    ["skipped", undefined, "neutral"],
  ] as const)("%s (%#) → %s", (state, judgement, conclusion) => {
    expect(concludeRun(state, judgement)).toBe(conclusion);
  });

  it("refuses a state that is not final", () => {
    expect(() => concludeRun("running")).toThrow("not final");
  });

  it.each([
    ["queued", undefined, "pending"],
    ["in_progress", undefined, "pending"],
    ["completed", "success", "success"],
    ["completed", "neutral", "success"],
    ["completed", "failure", "failure"],
    ["completed", "timed_out", "failure"],
    ["completed", "cancelled", "error"],
  ] as const)("commit status for %s/%s is %s", (status, conclusion, state) => {
    expect(commitStatusState(status, conclusion)).toBe(state);
  });
});

describe("nextPollDelayMs", () => {
  it.each([
    [0, 5000],
    [1, 7500],
    [2, 11250],
    [10, 60000],
    [100, 60000],
  ])("poll %i waits %i ms", (count, delay) => {
    expect(nextPollDelayMs(count, { initialSeconds: 5, maxSeconds: 60 })).toBe(delay);
  });
});
