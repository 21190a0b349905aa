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

  it("reports our command with too many arguments instead of guessing", () => {
    expect(parseCommands("/retry a b")).toEqual({ commands: [], malformed: [{ line: "/retry a b", problem: "`/retry` takes at most one pipeline name" }] });
  });
});
