import { describeAslanFailure } from "../../../../src/vendors/zadig/aslan-flavour.js";
import { logTail } from "../../../../src/vendors/zadig/flavour.js";

type Task = Parameters<typeof describeAslanFailure>[0];
const task = (fields: Partial<Task>): Task => ({ task_id: "16", status: "failed", ...fields });

describe("describeAslanFailure", () => {
  it.each<[string, Partial<Task>, string | null]>([
    [
      "a failed stage with the failed service's error",
      {
        stages: [
          { type: "buildv2", status: "failed", sub_tasks: { proxy: { status: "failed", error: "exit code 2\n(make build)" }, web: { status: "passed" } } },
          { type: "deploy", status: "", sub_tasks: {} },
        ],
      },
      "Failed:\n- stage `buildv2` (failed): `proxy`: exit code 2 (make build)",
    ],
    [
      "a timed-out sub-task in a stage without a status yet",
      { stages: [{ type: "testingv2", status: "", sub_tasks: { "proxy-unit": { status: "timeout" } } }] },
      "Failed:\n- stage `testingv2` (no status): `proxy-unit`",
    ],
    ["only the task's error", { stages: [], error: "no build machine" }, "Failed:\n- task: no build machine"],
    ["sub-tasks of an unexpected shape are ignored", { stages: [{ type: "deploy", status: "passed", sub_tasks: { x: "oops" } }] }, null],
    ["nothing failed", { stages: [{ type: "buildv2", status: "cancelled", sub_tasks: null }] }, null],
  ])("%s", (_label, fields, expected) => {
    expect(describeAslanFailure(task(fields))).toBe(expected);
  });
});

describe("logTail", () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join("\n");

  it.each([
    ["plain text, last 30 lines", `${lines(35)}\n\n`, lines(35).split("\n").slice(5).join("\n")],
    ["one JSON string", JSON.stringify("a\nb\n"), "a\nb"],
    ["colour codes and CRLF", "\u001b[32mok\u001b[0m\r\nfail\r\n", "ok\nfail"],
    ["a quote that is not JSON", '"unterminated', '"unterminated'],
  ])("%s", (_label, raw, expected) => {
    expect(logTail(raw)).toBe(expected);
  });
});
