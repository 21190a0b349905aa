import { z } from "zod";
import { readBody, refusal, vendorId } from "../../../../src/vendors/envelope.js";
import { codeartsEnvelopeForTest } from "./envelopes.js";
import { gitlabEnvelope } from "../../../../src/vendors/gitlab/errors.js";
import { yunxiaoEnvelope } from "../../../../src/vendors/yunxiao/errors.js";
import { zadigEnvelope } from "../../../../src/vendors/zadig/errors.js";
import { acknowledgement } from "../../../../src/vendors/zadig/flavour.js";
import { stopAnswer } from "../../../../src/vendors/yunxiao/schema.js";

const action = { action: "cancel task 17" };

describe("readBody: the error envelope first, then the success shape", () => {
  it.each([
    ["Zadig type:error", zadigEnvelope, '{"code":6163,"message":"取消工作流任务失败","type":"error","description":""}', "Zadig refused to cancel task 17: 6163 取消工作流任务失败", "6163"],
    ["Zadig aslan code without type", zadigEnvelope, '{"code":"6800","message":"pipeline not found"}', "Zadig refused to cancel task 17: 6800 pipeline not found", "6800"],
    ["Yunxiao errorCode", yunxiaoEnvelope, '{"errorCode":"NotFound","errorMessage":"run not found"}', "Yunxiao Flow refused to cancel task 17: NotFound run not found", "NotFound"],
    ["Yunxiao success:false", yunxiaoEnvelope, '{"success":false}', "Yunxiao Flow refused to cancel task 17: success: false", undefined],
    ["Yunxiao success:false with message", yunxiaoEnvelope, '{"success":false,"errorMessage":"run is over"}', "Yunxiao Flow refused to cancel task 17: run is over", undefined],
    ["GitLab message", gitlabEnvelope, '{"message":"403 Forbidden"}', "GitLab refused to cancel task 17: 403 Forbidden", undefined],
    ["GitLab field messages", gitlabEnvelope, '{"message":{"base":["Reference not found"]}}', "GitLab refused to cancel task 17: base: Reference not found", undefined],
    ["GitLab error", gitlabEnvelope, '{"error":"insufficient_scope"}', "GitLab refused to cancel task 17: insufficient_scope", undefined],
    ["CodeArts error_code", codeartsEnvelopeForTest, '{"error_code":"DEVPIPE.00011104","error_msg":"pipeline not found"}', "CodeArts refused to cancel task 17: DEVPIPE.00011104 pipeline not found", "DEVPIPE.00011104"],
  ])("%s is a refusal quoting the vendor's code and message", (_label, envelope, body, reason, code) => {
    expect(readBody(body, envelope, z.unknown(), action)).toEqual({ ok: false, kind: "refused", reason, ...(code ? { code } : {}) });
  });

  it.each([
    ["v1.7 acknowledgement", '{"message":"success"}'],
    ["empty body", ""],
    ["null", "null"],
    ["empty object", "{}"],
    ["success code 0", '{"code":0,"message":"success"}'],
  ])("Zadig %s is an acknowledgement", (_label, body) => {
    expect(readBody(body, zadigEnvelope, acknowledgement, action).ok).toBe(true);
  });

  it.each([
    ["any other object", '{"result":"who knows"}'],
    ["an array", "[]"],
    ["a number", "17"],
  ])("Zadig %s is not an acknowledgement", (_label, body) => {
    expect(readBody(body, zadigEnvelope, acknowledgement, action)).toMatchObject({ ok: false, kind: "malformed" });
  });

  it.each([
    ["empty body", "", true],
    ["true", "true", true],
    ["{success:true}", '{"success":true}', true],
    ["{}", "{}", true],
    ["an unrelated object", '{"foo":1}', false],
    ["false", "false", false],
  ])("Yunxiao's stop answer %s is accepted: %s", (_label, body, accepted) => {
    expect(readBody(body, yunxiaoEnvelope, stopAnswer, action).ok).toBe(accepted);
  });

  it("says what a non-JSON body was, an HTML page by its title only", () => {
    const html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><script>secret()</script></body></html>";
    const reading = readBody(html, zadigEnvelope, acknowledgement, action);
    expect(reading).toEqual({ ok: false, kind: "malformed", reason: 'unexpected response to cancel task 17: not JSON: an HTML page titled "502 Bad Gateway"' });
  });

  it("returns a text log raw, but a log endpoint's error envelope is an error", () => {
    const log = "step 1\nerror: exit 2";
    expect(readBody(log, yunxiaoEnvelope, z.string(), { action: "show the log", responseType: "text" })).toEqual({ ok: true, value: log });
    expect(readBody('{"errorCode":"NotFound","errorMessage":"log expired"}', yunxiaoEnvelope, z.string(), { action: "show the log", responseType: "text" })).toMatchObject({
      ok: false,
      kind: "refused",
      reason: "Yunxiao Flow refused to show the log: NotFound log expired",
    });
  });

  it("keeps a 64-bit id exact", () => {
    const reading = readBody('{"id": 9007199254740993, "n": 12}', gitlabEnvelope, z.object({ id: vendorId, n: z.number() }), action);
    expect(reading).toEqual({ ok: true, value: { id: "9007199254740993", n: 12 } });
  });
});

describe("refusal", () => {
  it.each([
    [{ code: "6163", message: "取消工作流任务失败" }, "Zadig refused to cancel task 17: 6163 取消工作流任务失败"],
    [{ message: "no" }, "Zadig refused to cancel task 17: no"],
    [{}, "Zadig refused to cancel task 17: (no message)"],
  ])("%j → %s", (words, text) => {
    expect(refusal("Zadig", "cancel task 17", words)).toBe(text);
  });
});

describe("vendor error codes are never object keys", () => {
  it.each(["constructor", "toString", "__proto__"])("Yunxiao errorCode %j gets no hint from the prototype", (code) => {
    const reading = readBody(JSON.stringify({ errorCode: code, errorMessage: "odd" }), yunxiaoEnvelope, z.unknown(), action);
    expect(reading).toEqual({ ok: false, kind: "refused", reason: `Yunxiao Flow refused to cancel task 17: ${code} odd`, code });
  });
});
