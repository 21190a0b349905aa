import { VendorError } from "../../../../src/errors.js";
import { describeZadigError, missingField } from "../../../../src/vendors/zadig/errors.js";
import { vendorFixture } from "../../../helpers/fixtures.js";

describe("describeZadigError", () => {
  it.each([
    ["v1.7 cancel, int code", vendorFixture("zadig", "error.v17_cancel_6163"), { code: "6163", message: "取消工作流任务失败: mongo: no documents in result" }],
    ["v1.7 restart, int code", vendorFixture("zadig", "error.v17_restart_6164"), { code: "6164", message: "重试工作流任务失败: 获取工作流任务失败" }],
    ["seed 6800, string code", vendorFixture("zadig", "error.seed_6800_create_pipeline"), { code: "6800", message: "create pipeline error: error details" }],
    ["seed 400, string code", vendorFixture("zadig", "error.seed_400_invalid_args"), { code: "400", message: "invalid pipeline args: error details" }],
    ["internal error with an empty desc", vendorFixture("zadig", "error.internal_500"), { code: "500", message: "Internal Error: mongo: no documents in result" }],
    ["multi-line description", { code: 6540, message: "exists", description: "line one\n  line two" }, { code: "6540", message: "exists: line one line two" }],
    ["same message and description", { code: "6800", message: "boom", description: "boom" }, { code: "6800", message: "boom" }],
    ["code only", { code: 6164 }, { code: "6164" }],
    ["message only", { message: "bad request" }, { message: "bad request" }],
  ])("%s", (_label, body, expected) => {
    expect(describeZadigError(body)).toEqual(expected);
  });

  it.each([
    ["a text body", "invalid token: token is malformed"],
    ["an empty object", {}],
    ["an empty string code", { code: "" }],
    ["a code of the wrong type", { code: true, message: "x" }],
    ["null", null],
  ])("leaves %s to the HTTP client's own wording", (_label, body) => {
    expect(describeZadigError(body)).toBeUndefined();
  });
});

describe("missingField", () => {
  it("names the vendor, the operation, the field and the API, and is not worth retrying", () => {
    const error = missingField("v1.7", "trigger", "codehost_id", "Zadig's id of the code host");
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toMatchObject({ vendor: "zadig", operation: "trigger", retryable: false });
    expect(error.message).toBe("zadig trigger failed: the pipeline's zadig block has no `codehost_id`, which the v1.7 API needs (Zadig's id of the code host)");
  });
});
