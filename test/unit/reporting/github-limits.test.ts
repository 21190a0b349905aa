import { annotationBatches, firstLinesWithin, fitCheckView, fitComment, fitLine, fitStatusDescription, fitText, fitTitle, GITHUB_LIMITS } from "../../../src/reporting/github-limits.js";

describe("fitText", () => {
  it.each([
    ["short text is unchanged", "abc", 10, "abc"],
    ["exactly the limit is unchanged", "x".repeat(100), 100, "x".repeat(100)],
  ])("%s", (_label, text, max, expected) => {
    expect(fitText(text, max)).toBe(expected);
  });

  it.each([
    [GITHUB_LIMITS.checkSummary, 70_000],
    [GITHUB_LIMITS.commentBody, 840_000],
    [200, 1_000],
  ])("cuts to %i characters and says how much was left out (from %i)", (max, length) => {
    const fitted = fitText("y".repeat(length), max);
    expect(fitted.length).toBeLessThanOrEqual(max);
    const left = Number(/(\d+) more characters did not fit GitHub's limit of (\d+)/.exec(fitted)![1]);
    expect(fitted.indexOf("\n\n…(cut here") + left).toBe(length);
  });

  it("never splits an emoji", () => {
    const fitted = fitText(`${"a".repeat(99)}😀${"b".repeat(200)}`, 150);
    expect(fitted).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe("one-line fields", () => {
  it.each([
    [fitTitle, "t".repeat(300), 255],
    [fitStatusDescription, "d".repeat(300), 140],
    [(text: string) => fitLine(text, 10), "a\nb   c", 10],
  ])("fit their limit (%#)", (fitField, text, max) => {
    const fitted = fitField(text);
    expect(fitted.length).toBeLessThanOrEqual(max);
    expect(fitted).not.toContain("\n");
  });

  it("marks a cut title with …", () => {
    expect(fitTitle("t".repeat(300))).toBe(`${"t".repeat(254)}…`);
  });
});

describe("fitCheckView, the final guard", () => {
  it("fits every field", () => {
    const view = fitCheckView({
      title: "T".repeat(1_000),
      summary: "S".repeat(100_000),
      text: "X".repeat(100_000),
      annotations: [{ path: "a.ts", start_line: 1, end_line: 1, annotation_level: "failure" as const, title: "A".repeat(500), message: "M".repeat(70_000) }],
    });
    expect(view.title.length).toBeLessThanOrEqual(255);
    expect(view.summary.length).toBeLessThanOrEqual(65_535);
    expect(view.text!.length).toBeLessThanOrEqual(65_535);
    expect(view.annotations![0]!.title.length).toBeLessThanOrEqual(255);
    expect(view.annotations![0]!.message.length).toBeLessThanOrEqual(65_535);
  });

  it("a comment fits 65,536 characters", () => {
    expect(fitComment("c".repeat(840_000)).length).toBeLessThanOrEqual(65_536);
  });
});

describe("annotationBatches", () => {
  it.each([
    [0, []],
    [50, [50]],
    [51, [50, 1]],
    [200, [50, 50, 50, 50]],
  ])("%i annotations go in requests of %j", (count, sizes) => {
    expect(annotationBatches(Array.from({ length: count }, (_, i) => i)).map((batch) => batch.length)).toEqual(sizes);
  });
});

describe("firstLinesWithin", () => {
  const more = (count: number) => `and ${count} more`;
  it.each([
    ["everything fits", ["a", "b", "c"], 100, ["a", "b", "c"]],
    ["the rest is counted", ["aaaa", "bbbb", "cccc", "dddd"], 21, ["aaaa", "bbbb", "and 2 more"]],
    ["nothing fits", ["aaaaaaaaaa", "b"], 5, ["and 2 more"]],
  ])("%s", (_label, lines, budget, expected) => {
    expect(firstLinesWithin(lines, budget, more)).toEqual(expected);
  });

  it("stays within the budget for thousands of lines", () => {
    const lines = Array.from({ length: 12_000 }, (_, i) => `line ${i} ${"x".repeat(60)}`);
    const kept = firstLinesWithin(lines, 65_000, more);
    expect(kept.join("\n").length).toBeLessThanOrEqual(65_000);
    expect(kept.at(-1)).toBe(`and ${12_000 - (kept.length - 1)} more`);
  });
});
