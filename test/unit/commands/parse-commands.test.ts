import { worthStoring } from "../../../src/github/webhook-intake.js";
import { parseCommands } from "../../../src/commands/parse-commands.js";

describe("parseCommands", () => {
  it.each([
    ["/retry", [{ name: "retry", pipeline: undefined }]],
    ["/retry backend", [{ name: "retry", pipeline: "backend" }]],
    ["/RETRY Backend", [{ name: "retry", pipeline: "Backend" }]],
    ["/cancel", [{ name: "cancel", pipeline: undefined }]],
    ["  /cancel   backend  ", [{ name: "cancel", pipeline: "backend" }]],
    ["please\n/retry\n/cancel docs", [{ name: "retry", pipeline: undefined }, { name: "cancel", pipeline: "docs" }]],
    ["/lgtm\n/assign @me", []],
    ["I ran /retry yesterday", []],
    ["> /retry", []],
    ["```\n/retry\n```", []],
    ["/retryall", []],
    ["", []],
  ])("%j", (body, commands) => {
    expect(parseCommands(body).commands).toEqual(commands);
  });

  it.each([
    ["/run backend", { name: "run", pipeline: "backend", variables: {} }],
    ['/run backend TARGET="eu west" DRY_RUN=1', { name: "run", pipeline: "backend", variables: { TARGET: "eu west", DRY_RUN: "1" } }],
    ["/run backend EMPTY= 'Q'='x'", { name: "run", pipeline: "backend", variables: { EMPTY: "", Q: "x" } }],
    ["/ok-to-test EC26C3E", { name: "ok-to-test", sha: "ec26c3e" }],
    ["/help", { name: "help" }],
  ])("%j", (body, command) => {
    expect(parseCommands(body)).toEqual({ commands: [command], malformed: [] });
  });

  it.each([
    ["/run", "`/run` needs a pipeline name"],
    ["/run KEY=1", "`/run` needs a pipeline name"],
    ["/run backend oops", "`oops` is not KEY=VALUE"],
    ['/run backend A="open', "a quote is not closed"],
    ["/ok-to-test", "`/ok-to-test` needs the commit it approves"],
    ["/ok-to-test abc", "`/ok-to-test` needs the commit it approves"],
  ])("%j is malformed", (body, problem) => {
    expect(parseCommands(body).malformed[0]!.problem).toContain(problem);
  });

  it("reports our command with too many arguments instead of guessing", () => {
    expect(parseCommands("/retry a b")).toEqual({ commands: [], malformed: [{ line: "/retry a b", problem: "`/retry` takes at most one pipeline name" }] });
  });
});

describe("worthStoring", () => {
  it.each([
    ["push", undefined, true],
    ["pull_request", "labeled", true],
    ["issue_comment", "created", true],
    ["issue_comment", "edited", false],
    ["check_run", "rerequested", true],
    ["check_run", "completed", false],
    ["check_suite", "requested", false],
  ])("%s.%s → %s", (event, action, stored) => {
    expect(worthStoring(event, action)).toBe(stored);
  });
});
