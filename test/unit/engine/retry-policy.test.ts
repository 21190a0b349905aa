import { clockTime, lostAnswerWaitMs, outageExceeded, retryDelayMs } from "../../../src/runs/retry-policy.js";

describe("retry policy", () => {
  it.each([
    [0, undefined, 5_000],
    [1, undefined, 10_000],
    [3, undefined, 40_000],
    [10, undefined, 300_000],
    [0, 60_000, 60_000],
    [0, 3_600_000, 300_000],
    [2, 1_000, 20_000],
  ])("after %i failures with Retry-After %p waits %i ms", (failures, retryAfter, expected) => {
    expect(retryDelayMs(failures, retryAfter)).toBe(expected);
  });

  it.each([
    [0, 29 * 60_000, 30, false],
    [0, 30 * 60_000, 30, true],
    [1_000, 2_000, 0.01, true],
  ])("an outage since %i, now %i, limit %i min: exceeded %p", (since, now, limit, expected) => {
    expect(outageExceeded(since, now, limit)).toBe(expected);
  });

  it("shows the next attempt as UTC clock time", () => {
    expect(clockTime(Date.parse("2026-12-01T14:05:59Z"))).toBe("14:05 UTC");
  });
});

describe("lostAnswerWaitMs: when to look for what a request with a lost answer did", () => {
  it.each([
    ["GitHub's 20 s deadline under the 30 s floor", 20, 30_000, 30_000],
    ["a 60 s deadline: 10 s past it", 60, 30_000, 70_000],
    ["a vendor's 5 s timeout under a 10 s lease", 5, 10_000, 15_000],
    ["a vendor's 30 s timeout under a 60 s lease", 30, 60_000, 60_000],
  ])("%s", (_case, deadlineSeconds, floorMs, expected) => {
    expect(lostAnswerWaitMs(deadlineSeconds, floorMs)).toBe(expected);
  });
});
