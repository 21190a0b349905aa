import { decideFoundRun, type CandidateVerdict, type FindDecision } from "../../../src/vendors/find-run.js";

const candidate = (runId: string, verdict: CandidateVerdict) => ({ handle: { runId }, label: `run ${runId}`, verdict });
const ours: CandidateVerdict = { kind: "ours" };
const other: CandidateVerdict = { kind: "other" };
const unknown = (why: string): CandidateVerdict => ({ kind: "unknown", why });

describe("deciding what a search found", () => {
  const cases: Array<[string, ReturnType<typeof candidate>[], boolean, FindDecision]> = [
    ["nothing listed", [], false, { kind: "none" }],
    ["only other runs", [candidate("1", other), candidate("2", other)], false, { kind: "none" }],
    ["ours among others", [candidate("1", other), candidate("2", ours)], false, { kind: "found", handle: { runId: "2" } }],
    ["ours beats an undecidable run", [candidate("1", unknown("no params")), candidate("2", ours)], false, { kind: "found", handle: { runId: "2" } }],
    ["ours although the search was cut short", [candidate("1", ours)], true, { kind: "found", handle: { runId: "1" } }],
    ["the newest of two carrying our id", [candidate("3", ours), candidate("2", ours)], false, { kind: "found", handle: { runId: "3" } }],
    ["an undecidable run", [candidate("1", other), candidate("2", unknown("no params"))], false, { kind: "cannot-confirm", reason: "run 2: no params" }],
    [
      "two undecidable runs",
      [candidate("1", unknown("a")), candidate("2", unknown("b"))],
      false,
      { kind: "cannot-confirm", reason: "run 1: a; run 2: b" },
    ],
    ["a search cut short without ours", [candidate("1", other)], true, { kind: "cannot-confirm", reason: "more runs since the trigger than the 50 inspected" }],
  ];
  it.each(cases)("%s", (_label, candidates, truncated, expected) => {
    expect(decideFoundRun(candidates, truncated)).toEqual(expected);
  });
});
