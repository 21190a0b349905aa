import { FLOW_STATUS_WORDS, mapFlowStatus } from "../../../../src/vendors/yunxiao/state-map.js";

describe("Flow run status → neutral state", () => {
  it.each([
    ["INIT", "queued"],
    ["WAITING", "queued"],
    ["RUNNING", "running"],
    ["CANCELLING", "running"],
    ["SUCCESS", "success"],
    ["FAIL", "failure"],
    ["CANCELED", "cancelled"],
  ])("%s → %s", (word, state) => {
    expect(mapFlowStatus(word)).toBe(state);
  });

  // Stage/job words, the webhook's "unknown", other spellings and other casing are not run statuses: the caller logs them.
  it.each(["FINISH", "SKIP", "UNKOWN", "CANCELLED", "", "toString", "__proto__", "constructor"])("leaves %j unmapped", (word) => {
    expect(mapFlowStatus(word)).toBeUndefined();
  });

  it("knows exactly the seven documented run words", () => {
    expect([...FLOW_STATUS_WORDS].sort()).toEqual(["CANCELED", "CANCELLING", "FAIL", "INIT", "RUNNING", "SUCCESS", "WAITING"]);
  });
});

describe("Flow run status case", () => {
  it.each([
    ["running", "running"],
    ["Fail", "failure"],
    ["success", "success"],
  ])("matches %j without regard to case: %s", (word, state) => {
    expect(mapFlowStatus(word)).toBe(state);
  });
});
