import { planAdoption, type CheckRunSeen } from "../../../src/github/check-run-adoption.js";
import { createOutcomeOf, isPermissionRefusal } from "../../../src/github/github-failure.js";
import { keepCheckCreateInDoubt, PublishCheckError, type PublishResult } from "../../../src/github/publish-report.js";

const httpError = (status: number | undefined, message = "x", headers: Record<string, string> = {}) =>
  Object.assign(new Error(message), { status, response: { headers } });

describe("createOutcomeOf", () => {
  test.each([
    [400, "refused"],
    [403, "refused"],
    [404, "refused"],
    [422, "refused"],
    [429, "refused"],
    [408, "unknown"],
    [499, "unknown"],
    [500, "unknown"],
    [502, "unknown"],
    [504, "unknown"],
    [undefined, "unknown"],
  ] as const)("status %s -> %s", (status, outcome) => {
    expect(createOutcomeOf(httpError(status))).toBe(outcome);
  });

  test("a thrown non-error is unknown", () => {
    expect(createOutcomeOf("boom")).toBe("unknown");
  });
});

describe("isPermissionRefusal", () => {
  test.each([
    ["no checks permission", httpError(403, "Resource not accessible by integration"), true],
    ["primary rate limit", httpError(403, "API rate limit exceeded", { "x-ratelimit-remaining": "0" }), false],
    ["secondary rate limit by message", httpError(403, "You have exceeded a secondary rate limit"), false],
    ["secondary rate limit by retry-after", httpError(403, "Forbidden", { "retry-after": "60" }), false],
    ["not a 403", httpError(404, "Not Found"), false],
  ])("%s", (_name, error, expected) => {
    expect(isPermissionRefusal(error)).toBe(expected);
  });
});

describe("planAdoption", () => {
  const run = (id: number, externalId: string | null, status = "queued"): CheckRunSeen => ({ id, externalId, status, annotationsCount: 0 });

  test.each([
    ["none of ours", [run(1, "7"), run(2, null)], null, []],
    ["one of ours", [run(1, "7"), run(5, "42")], 5, []],
    ["several: oldest kept, open ones completed", [run(9, "42"), run(5, "42"), run(7, "42", "in_progress")], 5, [7, 9]],
    ["a completed duplicate is left alone", [run(5, "42"), run(6, "42", "completed")], 5, []],
    ["the oldest is kept even when completed", [run(5, "42", "completed"), run(6, "42")], 5, [6]],
  ])("%s", (_name, seen, adopted, completed) => {
    const plan = planAdoption(seen, "42");
    expect(plan.adopt?.id ?? null).toBe(adopted);
    expect(plan.complete.map((r) => r.id)).toEqual(completed);
  });

  test.each([
    ["the known one is kept, an older duplicate completed", [run(5, "42"), run(6, "42")], 6, 6, [5]],
    ["the known one is not listed yet: all others completed", [run(5, "42"), run(7, "9")], 6, null, [5]],
  ])("with a known check run: %s", (_name, seen, keep, adopted, completed) => {
    const plan = planAdoption(seen, "42", keep);
    expect(plan.adopt?.id ?? null).toBe(adopted);
    expect(plan.complete.map((r) => r.id)).toEqual(completed);
  });
});

describe("keepCheckCreateInDoubt", () => {
  const ok = (mode: "checks" | "statuses", create: PublishResult["create"]): PublishResult => ({ mode, checkRunId: mode === "checks" ? 1 : null, create });
  const failed = (outcome: PublishCheckError["createOutcome"]) => new PublishCheckError(outcome, new Error("x"));
  test.each([
    ["answered create, no doubt before", false, ok("checks", "created"), false, false],
    ["adopted, run still going: keep looking on each write", true, ok("checks", "adopted"), false, true],
    ["created after an empty lookup, run still going", true, ok("checks", "created"), false, true],
    ["completed view written with the lookup: done", true, ok("checks", "none"), true, false],
    ["fell back to statuses", true, ok("statuses", "none"), false, false],
    ["create answer lost", false, failed("unknown"), false, true],
    ["create refused, no doubt before", false, failed("refused"), false, false],
    ["create refused after a lookup", true, failed("refused"), false, true],
    ["failed before the create, doubt stays as it was", true, failed("not-sent"), true, true],
    ["failed before the create, no doubt", false, failed("not-sent"), false, false],
  ] as const)("%s", (_name, lookedUp, outcome, completed, keep) => {
    expect(keepCheckCreateInDoubt(lookedUp, outcome, completed)).toBe(keep);
  });
});
