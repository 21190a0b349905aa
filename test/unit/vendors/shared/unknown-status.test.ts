import { pino } from "pino";
import { createStatusReader, statusTable, unknownStatusNote } from "../../../../src/vendors/unknown-status.js";

describe("statusTable", () => {
  const table = statusTable([["FAIL", "failure"], ["running", "running"]] as const);
  it.each([
    ["FAIL", "failure"],
    ["fail", "failure"],
    ["Fail", "failure"],
    ["RUNNING", "running"],
    ["constructor", undefined],
    ["__proto__", undefined],
    ["toString", undefined],
  ])("%j → %s", (word, state) => {
    expect(table.get(word)).toBe(state);
  });
});

describe("createStatusReader", () => {
  it("notes an unknown word for the check and logs it once per run, with the run's link", () => {
    const logs: string[] = [];
    const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
    const read = createStatusReader("gitlab", "GitLab", (word) => (word === "success" ? "success" : undefined), log);
    expect(read("success", { runId: "1" })).toEqual({ state: "success" });
    const first = read("xyz", { runId: "1", webUrl: "https://gitlab.example.com/p/-/pipelines/1" });
    expect(first).toEqual({ state: "running", unknownStatusNote: unknownStatusNote("GitLab", "xyz") });
    read("xyz", { runId: "1" });
    read("xyz", { runId: "2" });
    const warnings = logs.filter((line) => line.includes('"vendorStatus":"xyz"'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("https://gitlab.example.com/p/-/pipelines/1");
  });

  it.each([
    ["xyz", "GitLab said `xyz`; treating it as running until it reports a known status or the run times out."],
    ["a`b\nc", "GitLab said `abc`; treating it as running until it reports a known status or the run times out."],
  ])("note for %j", (word, note) => {
    expect(unknownStatusNote("GitLab", word)).toBe(note);
  });
});
