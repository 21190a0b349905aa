import type { RunState } from "../../../../src/vendors/types.js";
import { isFailedPart, isWaitingForAction, mapZadigStatus, ZADIG_STATUS_WORDS, ZADIG_V17_STATUS_WORDS } from "../../../../src/vendors/zadig/state-map.js";

const TABLE: Array<[word: string, state: RunState, waiting: boolean]> = [
  ["disabled", "skipped", false],
  ["created", "queued", false],
  ["running", "running", false],
  ["passed", "success", false],
  ["skipped", "skipped", false],
  ["failed", "failure", false],
  ["timeout", "failure", false],
  ["cancelled", "cancelled", false],
  ["pause", "running", true],
  ["waiting", "queued", false],
  ["queued", "queued", false],
  ["blocked", "queued", false],
  ["pending", "queued", false],
  ["changed", "running", false],
  ["notRun", "skipped", false],
  ["prepare", "queued", false],
  ["reject", "failure", false],
  ["distributed", "running", false],
  ["wait_for_approval", "running", true],
  ["debug_before", "running", true],
  ["debug_after", "running", true],
  ["unstable", "success", false],
  ["wait_for_manual_error_handling", "running", true],
];

describe("Zadig status words", () => {
  it.each(TABLE)("%s → %s (waiting for a person: %s)", (word, state, waiting) => {
    expect(mapZadigStatus(word)).toBe(state);
    expect(isWaitingForAction(word)).toBe(waiting);
  });

  it("knows exactly the 23 words of config.Status, in the source's order", () => {
    expect(ZADIG_STATUS_WORDS).toEqual(TABLE.map(([word]) => word));
  });

  it("knows v1.7's 12 words, all of them among the current ones", () => {
    expect(ZADIG_V17_STATUS_WORDS).toHaveLength(12);
    expect(ZADIG_V17_STATUS_WORDS.filter((word) => !ZADIG_STATUS_WORDS.includes(word))).toEqual([]);
    expect(ZADIG_V17_STATUS_WORDS).not.toContain("pause");
  });

  it.each([
    ["", "queued"],
    ["teleporting", undefined],
    // Zadig's docs never tell words apart by case: `PASSED` and `Failed` are its words.
    ["PASSED", "success"],
    ["Failed", "failure"],
    ["WAIT_FOR_APPROVAL", "running"],
    ["constructor", undefined],
    ["__proto__", undefined],
  ])("maps %j to %s (undefined: unknown, the caller logs it)", (word, state) => {
    expect(mapZadigStatus(word)).toBe(state);
  });

  it.each([
    ["failed", true],
    ["timeout", true],
    ["reject", true],
    ["cancelled", false],
    ["passed", false],
    ["", false],
    [undefined, false],
  ])("a job or stage with status %j broke: %s", (word, broke) => {
    expect(isFailedPart(word)).toBe(broke);
  });
});
