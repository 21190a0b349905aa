import { logTailWithin } from "../../../../src/vendors/log-tail.js";

const lines = (count: number, width = 5) => Array.from({ length: count }, (_, i) => `${String(i + 1).padStart(width, "0")}`).join("\n");

describe("logTailWithin keeps the END of a log", () => {
  it.each([
    ["short log, whole", "a\nb\nc", 30, 100, "a\nb\nc"],
    ["more lines than allowed: the last ones", lines(40, 2), 3, 100, "38\n39\n40"],
    ["long lines: the start is dropped, the final error line stays", `${"x".repeat(50)}\n${"y".repeat(50)}\nerror: boom`, 30, 70, `…\n${"y".repeat(50)}\nerror: boom`],
    ["one line longer than the budget keeps its end", `${"x".repeat(100)}error: boom`, 30, 20, `…${"x".repeat(8)}error: boom`],
    ["CRLF and trailing blank lines", "a\r\nb\r\n\r\n", 30, 100, "a\nb"],
  ])("%s", (_label, text, maxLines, maxChars, expected) => {
    expect(logTailWithin(text, maxLines, maxChars)).toBe(expected);
  });
});
