import { describeBodyExcerpt, describeHttpFailureText } from "../../../../src/vendors/error-text.js";

describe("describeHttpFailureText", () => {
  it.each([
    [502, "<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1>nginx</body></html>", undefined, 'HTTP 502: an HTML page titled "502 Bad Gateway"'],
    [403, "<!doctype html>\n<html><body><h1>Sign in &amp; continue</h1><form>password</form></body></html>", undefined, 'HTTP 403: an HTML page titled "Sign in & continue"'],
    [500, "<!DOCTYPE html><html><body>oops</body></html>", undefined, "HTTP 500: an HTML page without a title"],
    [400, '{"code":6163}', { code: "6163", message: "取消工作流任务失败" }, "HTTP 400: 6163: 取消工作流任务失败"],
    [429, "Retry later", undefined, "HTTP 429: Retry later"],
    [500, "", undefined, "HTTP 500: (empty body)"],
  ])("HTTP %i %j", (status, text, described, expected) => {
    expect(describeHttpFailureText(status, text, described)).toBe(expected);
  });

  it("cuts a long plain body to one line", () => {
    expect(describeBodyExcerpt(`a\n${"b".repeat(400)}`)).toHaveLength(301);
  });
});
