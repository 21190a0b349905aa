import { unsafePatternReason } from "../../../src/reporting/pattern-safety.js";
import { annotationsFromLogs, MAX_LINE_CHARS, MAX_LOG_ANNOTATIONS, patternProblem } from "../../../src/reporting/log-annotations.js";
import { getRepoConfigSchema } from "../../../src/config/repo-config.js";

describe("unsafePatternReason", () => {
  it.each([
    ["(a+)+$", /nested quantifiers/],
    ["^(\\w+\\s?)*$", /nested quantifiers/],
    ["(?:x*y?)+", /nested quantifiers/],
    ["((ab)*c)+", /nested quantifiers/],
    ["(a|ab)*c", /alternation/],
    ["(?<file>\\w|\\d)+", /alternation/],
    ["(a)\\1", /back-references/],
    ["(?<x>a)\\k<x>", /back-references/],
    ["(a{2,})*", /nested quantifiers/],
    ["(abc", /unbalanced/],
  ])("refuses %s", (pattern, reason) => {
    expect(unsafePatternReason(pattern)).toMatch(reason);
  });

  it.each([
    "^(?<file>[^:\\s]+):(?<line>\\d+):\\d+: (?<level>error|warning) (?<message>.+)$",
    "(?:ab)+",
    "(a+)?",
    "(a+){1}",
    "[(a+)+]",
    "\\(a+\\)+",
    "(?:error|warning): .*",
    "\\u{1F600}+",
    "^\\s*at (?<file>[^()]+):(?<line>\\d+)",
  ])("allows %s", (pattern) => {
    expect(unsafePatternReason(pattern)).toBeUndefined();
  });
});

describe("patternProblem", () => {
  it("needs the file, line and message groups and a valid expression", () => {
    expect(patternProblem({ pattern: "(?<file>x):(?<line>\\d+)" })).toBe("needs the named group (?<message>…)");
    expect(patternProblem({ pattern: "(?<file>[" })).toMatch(/^not a valid regular expression/);
    expect(patternProblem({ pattern: "(?<file>\\S+):(?<line>\\d+) (?<message>.*)" })).toBeUndefined();
  });

  it("is checked when the repository config is read", () => {
    const config = {
      pipelines: [{ name: "ci", connection: "gl", on: { push: {} }, gitlab: { project: 1 }, annotations: [{ pattern: "(?<file>(a+)+):(?<line>\\d+) (?<message>.*)" }] }],
    };
    const parsed = getRepoConfigSchema().safeParse(config);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(["pipelines", 0, "annotations", 0, "pattern"]);
    expect(parsed.error!.issues[0]!.message).toMatch(/nested quantifiers/);
  });
});

const ESLINT = { pattern: "^(?<file>[^:\\s]+):(?<line>\\d+):\\d+: (?<level>error|warning) (?<message>.+)$" };

describe("annotationsFromLogs", () => {
  it("turns matching lines into annotations with their level, in log order, without duplicates", () => {
    const log = ["$ eslint .", "./src/a.ts:3:1: error no-unused-vars", "src/b.ts:9:2: warning eqeqeq", "./src/a.ts:3:1: error no-unused-vars", "done"].join("\n");
    const result = annotationsFromLogs([{ jobName: "lint", text: log }], [ESLINT]);
    expect(result.annotations).toEqual([
      { path: "src/a.ts", start_line: 3, end_line: 3, annotation_level: "failure", title: "From the log of lint", message: "no-unused-vars" },
      { path: "src/b.ts", start_line: 9, end_line: 9, annotation_level: "warning", title: "From the log of lint", message: "eqeqeq" },
    ]);
    expect(result.dropped).toBe(0);
  });

  it("uses the pattern's title and level when it has no such groups", () => {
    const result = annotationsFromLogs([{ jobName: "t", text: "FAIL src/x.test.ts:12 expected 1" }], [
      { pattern: "^FAIL (?<file>\\S+):(?<line>\\d+) (?<message>.+)$", title: "Jest", level: "warning" },
    ]);
    expect(result.annotations[0]).toMatchObject({ title: "Jest", annotation_level: "warning" });
  });

  it("keeps at most the cap and counts the rest", () => {
    const log = Array.from({ length: MAX_LOG_ANNOTATIONS + 7 }, (_, i) => `src/f.ts:${i + 1}:1: error rule-${i}`).join("\n");
    const result = annotationsFromLogs([{ jobName: "lint", text: log }], [ESLINT]);
    expect(result.annotations).toHaveLength(MAX_LOG_ANNOTATIONS);
    expect(result.dropped).toBe(7);
  });

  it("matches only the start of very long lines", () => {
    const long = `src/f.ts:1:1: error ${"x".repeat(MAX_LINE_CHARS * 3)}`;
    const result = annotationsFromLogs([{ jobName: "lint", text: long }], [ESLINT]);
    expect(result.annotations[0]!.message.length).toBeLessThan(MAX_LINE_CHARS);
  });

  it("stops when the time budget is spent and says so", () => {
    let clock = 0;
    const log = Array.from({ length: 2000 }, (_, i) => `src/f.ts:${i + 1}:1: error r`).join("\n");
    const result = annotationsFromLogs([{ jobName: "lint", text: log }], [ESLINT], () => (clock += 100));
    expect(result.stoppedEarly).toMatch(/^Log matching stopped after 250 ms/);
    expect(result.annotations.length).toBeLessThan(2000);
  });

  it("skips a stored pattern that would not pass the checker today", () => {
    const result = annotationsFromLogs([{ jobName: "lint", text: "aaaa" }], [{ pattern: "(?<file>(a+)+)(?<line>1)?(?<message>.)" }]);
    expect(result.annotations).toEqual([]);
  });
});
