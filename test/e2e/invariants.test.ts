import { pickFault, planFor, type ActiveFault } from "./fakes/faults.js";
import { findViolations, NO_VIOLATIONS, type SeenCheck, type SeenPipeline } from "./fakes/invariants.js";

const expected = [{ repository: "acme/api", sha: "abc", pipeline: "build" }];
const pipeline = (runId: string, status = "success"): SeenPipeline => ({
  variables: { RELAY_RUN_ID: runId, RELAY_REPOSITORY: "acme/api", RELAY_SHA: "abc", RELAY_PIPELINE: "build" },
  status,
});
const check = (status = "completed", conclusion: string | null = "success"): SeenCheck => ({
  owner: "acme",
  repo: "api",
  head_sha: "abc",
  name: "pipeline-relay/build",
  status,
  conclusion,
});

describe("findViolations", () => {
  test.each([
    ["one pipeline, one completed check", [pipeline("1")], [check()], NO_VIOLATIONS],
    ["nothing triggered", [], [], { ...NO_VIOLATIONS, lostTriggers: ["acme/api@abc build"], missingChecks: ["acme/api@abc build"] }],
    ["the same run created twice", [pipeline("1"), pipeline("1")], [check()], { ...NO_VIOLATIONS, duplicateRunIds: ["1 x2"], duplicateTriggers: ["acme/api@abc build x2"] }],
    ["a second run for the same commit", [pipeline("1"), pipeline("2")], [check()], { ...NO_VIOLATIONS, duplicateTriggers: ["acme/api@abc build x2"] }],
    [
      "an orphaned queued check beside the real one",
      [pipeline("1")],
      [check(), check("queued", null)],
      { ...NO_VIOLATIONS, duplicateChecks: ["acme/api@abc pipeline-relay/build x2"], unfinishedChecks: ["acme/api@abc pipeline-relay/build: queued"] },
    ],
    ["a pipeline still running", [pipeline("1", "running")], [check("in_progress", null)], {
      ...NO_VIOLATIONS,
      unfinishedChecks: ["acme/api@abc pipeline-relay/build: in_progress"],
      unfinishedPipelines: ["acme/api run 1: running"],
    }],
  ])("%s", (_name, pipelines, checks, findings) => {
    expect(findViolations(expected, pipelines, checks)).toEqual(findings);
  });

  test("the config check is not a pipeline's check", () => {
    const configCheck = { ...check("completed", "failure"), name: "pipeline-relay/config" };
    expect(findViolations([], [], [configCheck, configCheck])).toEqual(NO_VIOLATIONS);
  });
});

describe("pickFault and planFor", () => {
  const now = 1_000;
  test.each([
    ["unmatched path", { path: /\/pipeline$/ }, { method: "GET", path: "/x", now }, undefined],
    ["other method", { method: "POST", path: /./ }, { method: "GET", path: "/x", now }, undefined],
    ["before the window", { path: /./, from: 2_000 }, { method: "GET", path: "/x", now }, undefined],
    ["after the window", { path: /./, until: 1_000 }, { method: "GET", path: "/x", now }, undefined],
    ["inside the window", { path: /./, from: 500, until: 1_500, status: 502 }, { method: "GET", path: "/x", now }, 502],
  ])("%s", (_name, rule, request, status) => {
    const picked = pickFault([{ rule, used: 0 }], request);
    expect(picked?.status).toBe(status);
  });

  test("a rule with `times` is spent after that many requests", () => {
    const faults: ActiveFault[] = [{ rule: { path: /./, times: 2, status: 500 }, used: 0 }];
    const request = { method: "POST", path: "/p", now };
    expect([pickFault(faults, request), pickFault(faults, request), pickFault(faults, request)].map((rule) => rule?.status)).toEqual([500, 500, undefined]);
  });

  test.each([
    ["no fault", undefined, { delayBeforeMs: 0, runHandler: true, delayAfterMs: 0, outcome: "answer" }],
    ["a status before the effect: nothing created", { path: /./, status: 502 }, { delayBeforeMs: 0, runHandler: false, delayAfterMs: 0, outcome: "status", status: 502 }],
    ["504 after the create", { path: /./, status: 504, afterEffect: true }, { delayBeforeMs: 0, runHandler: true, delayAfterMs: 0, outcome: "status", status: 504 }],
    ["a held answer after the create", { path: /./, delayMs: 9, afterEffect: true }, { delayBeforeMs: 0, runHandler: true, delayAfterMs: 9, outcome: "answer" }],
    ["a slow vendor", { path: /./, delayMs: 50 }, { delayBeforeMs: 50, runHandler: true, delayAfterMs: 0, outcome: "answer" }],
    ["an answer lost after the create", { path: /./, dropConnection: true, afterEffect: true }, { delayBeforeMs: 0, runHandler: true, delayAfterMs: 0, outcome: "drop" }],
    ["a stalled body", { path: /./, stallBody: true }, { delayBeforeMs: 0, runHandler: true, delayAfterMs: 0, outcome: "stall" }],
  ])("%s", (_name, rule, plan) => {
    expect(planFor(rule)).toEqual(plan);
  });
});
