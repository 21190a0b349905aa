import { describeYunxiaoError } from "../../../../src/vendors/yunxiao/errors.js";

describe("Flow error bodies", () => {
  it.each<[unknown, ReturnType<typeof describeYunxiaoError>]>([
    [{ errorCode: "BadRequest", errorMessage: "pipelineId is invalid" }, { code: "BadRequest", message: "pipelineId is invalid" }],
    [
      { errorCode: "ExpiredTokenError", errorMessage: "Token is expired" },
      { code: "ExpiredTokenError", message: expect.stringMatching(/^Token is expired — the personal access token has expired: create a new one/) },
    ],
    [{ errorCode: "InvalidTokenError", errorMessage: "Token is invalid" }, { code: "InvalidTokenError", message: expect.stringContaining("Token is invalid — ") }],
    [{ errorCode: "Forbidden", errorMessage: "Forbidden" }, { code: "Forbidden", message: expect.stringContaining("'pipeline run instance' read/write") }],
    [{ errorCode: "TooManyRequests" }, { code: "TooManyRequests", message: undefined }],
    [{ errorDescription: "described" }, { code: undefined, message: "described" }],
    [{ message: "plain message" }, { code: undefined, message: "plain message" }],
    [{ errorMessage: "", message: "fallback" }, { code: undefined, message: "fallback" }],
    [{ unrelated: true }, undefined],
    ["<html>Bad Gateway</html>", undefined],
    [{ errorCode: 500 }, undefined],
    [null, undefined],
  ])("%j → %j", (body, expected) => {
    expect(describeYunxiaoError(body)).toEqual(expected);
  });
});
