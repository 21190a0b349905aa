import { parseCommands } from "../../../src/commands/parse-commands.js";
import { MAX_COMMANDS_PER_COMMENT, planComment, renderCommentReply } from "../../../src/commands/plan-comment.js";
import { approvalAnswer, isApprovalAnswer } from "../../../src/commands/fork-approval.js";

const plan = (body: string) => planComment(parseCommands(body));

describe("planComment: each command once", () => {
  it.each([
    ["twenty /help", Array(20).fill("/help").join("\n"), { help: true, commands: [] }],
    ["a repeated /retry in any case", "/retry\n/RETRY\n/retry", { help: false, commands: [{ name: "retry" }] }],
    ["/retry Build and /retry build", "/retry Build\n/retry build", { help: false, commands: [{ name: "retry", pipeline: "Build" }] }],
    ["/retry and /retry build differ", "/retry\n/retry build", { help: false, commands: [{ name: "retry" }, { name: "retry", pipeline: "build" }] }],
    ["/run with other variables differ", "/run a X=1\n/run a X=2\n/run a X=1", { help: false, commands: [{ name: "run", pipeline: "a", variables: { X: "1" } }, { name: "run", pipeline: "a", variables: { X: "2" } }] }],
    ["commands and help", "/cancel\n/help\n/ok-to-test abcdef1", { help: true, commands: [{ name: "cancel" }, { name: "ok-to-test", sha: "abcdef1" }] }],
  ])("%s", (_label, body, expected) => {
    expect(plan(body)).toMatchObject({ ...expected, notCarriedOut: 0 });
    expect(plan(body).commands).toHaveLength(expected.commands.length);
  });

  it("carries out at most 10 different commands and counts the rest", () => {
    const planned = plan(Array.from({ length: 12_000 }, (_, i) => `/run p${i}`).join("\n"));
    expect(planned.commands).toHaveLength(MAX_COMMANDS_PER_COMMENT);
    expect(planned.notCarriedOut).toBe(12_000 - MAX_COMMANDS_PER_COMMENT);
  });

  it("answers a repeated malformed line once", () => {
    expect(plan("/retry a b\n/retry a b").malformed).toEqual([{ line: "/retry a b", problem: "`/retry` takes at most one pipeline name" }]);
  });
});

describe("renderCommentReply", () => {
  it.each([
    ["nothing to say", { author: "a", answers: [], notCarriedOut: 0 }, undefined],
    ["help only", { author: "a", help: "HELP", answers: [], notCarriedOut: 0 }, "@a\n\nHELP"],
    ["answers then help", { author: "a", help: "HELP", answers: ["one", "two"], notCarriedOut: 0 }, "@a\n\none\n\ntwo\n\nHELP"],
    ["commands over the limit", { author: "a", answers: [], notCarriedOut: 1 }, "@a\n\n1 more different command was not carried out: at most 10 per comment."],
  ])("%s", (_label, reply, expected) => {
    expect(renderCommentReply(reply)).toBe(expected);
  });

  it("stays within GitHub's comment limit whatever the answers", () => {
    const body = renderCommentReply({ author: "a", help: "H".repeat(5_000), answers: Array.from({ length: 12_000 }, (_, i) => `answer ${i} ${"x".repeat(70)}`), notCarriedOut: 0 })!;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/…and \d+ more answers not shown\./);
    expect(body.endsWith("H".repeat(5_000))).toBe(true);
  });
});

describe("approvalAnswer", () => {
  it("names the commit and the command that approves it", () => {
    const answer = approvalAnswer("/retry", "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "outsider");
    expect(answer).toBe(
      "`/retry`: commit `ec26c3e` of @outsider's pull request was not approved, so no pipeline runs for it. Review the changes, then comment `/ok-to-test ec26c3e` to run the pipelines for exactly this commit. Nothing was run.",
    );
    expect(isApprovalAnswer(answer)).toBe(true);
    expect(isApprovalAnswer("`/retry`: nothing to retry")).toBe(false);
  });
});

describe("parseCommands and prototype names", () => {
  it.each(["__proto__", "constructor", "toString"])("`/run a %s=x` sets an own variable, never the prototype", (name) => {
    const [command] = parseCommands(`/run a ${name}=x`).commands;
    expect(command).toMatchObject({ name: "run", pipeline: "a" });
    const variables = (command as { variables: Record<string, string> }).variables;
    expect(Object.keys(variables)).toEqual([name]);
    expect(Object.getOwnPropertyDescriptor(variables, name)?.value).toBe("x");
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
