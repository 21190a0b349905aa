import { CODEARTS_STATUS_WORDS } from "../../src/vendors/codearts/state-map.js";
import { codeartsHarness } from "./codearts-harness.js";
import { describeAdapterContract } from "./vendor-adapter.contract.js";

describeAdapterContract("codearts (IAM token)", codeartsHarness("iam"));

it("knows the 8 documented CodeArts run statuses", () => {
  expect(CODEARTS_STATUS_WORDS.sort()).toEqual(["CANCELED", "COMPLETED", "FAILED", "IGNORED", "PAUSED", "QUEUED", "RUNNING", "SUSPEND"]);
});
