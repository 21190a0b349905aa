import { isFailedPart, isWaitingForAction, mapCodeartsStatus } from "../../../../src/vendors/codearts/state-map.js";

describe("CodeArts run status mapping", () => {
  it.each([
    ["QUEUED", "queued"],
    ["RUNNING", "running"],
    ["PAUSED", "running"],
    ["SUSPEND", "running"],
    ["COMPLETED", "success"],
    ["FAILED", "failure"],
    ["CANCELED", "cancelled"],
    ["IGNORED", "skipped"],
  ])("%s → %s", (word, state) => {
    expect(mapCodeartsStatus(word)).toBe(state);
  });

  it.each(["INIT", "ASYNC_RUNNING", "CANCELLED", "", "constructor", "toString"])("leaves the undocumented word %j to the unknown-status path", (word) => {
    expect(mapCodeartsStatus(word)).toBeUndefined();
  });

  it("only PAUSED (a manual review or delay gate) waits for a person", () => {
    expect(["QUEUED", "RUNNING", "PAUSED", "SUSPEND"].filter(isWaitingForAction)).toEqual(["PAUSED"]);
  });

  it("treats the stage words FAILED and ASYNC_FAILED as failed parts", () => {
    expect(["FAILED", "ASYNC_FAILED", "COMPLETED", "SKIPPED", null, undefined].map(isFailedPart)).toEqual([true, true, false, false, false, false]);
  });
});

describe("CodeArts run status case", () => {
  it.each([
    ["completed", "success"],
    ["Failed", "failure"],
    ["paused", "running"],
  ])("matches %j without regard to case: %s", (word, state) => {
    expect(mapCodeartsStatus(word)).toBe(state);
  });
});
