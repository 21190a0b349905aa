import {
  classifyNetworkError,
  isAmbiguous,
  isRetryable,
  mayRetryInCall,
  parseRetryAfter,
  type AttemptFailure,
  type HttpMethod,
} from "../../../src/vendors/http-failure.js";

const status = (code: number): AttemptFailure => ({ kind: "status", status: code });

describe("which failures leave a request's outcome unknown", () => {
  const cases: Array<[HttpMethod, AttemptFailure, boolean]> = [
    ["POST", status(500), true],
    ["POST", status(502), true],
    ["POST", status(504), true],
    ["PUT", status(503), true],
    ["POST", status(400), false],
    ["POST", status(404), false],
    ["POST", status(408), false],
    ["POST", status(429), false],
    ["POST", { kind: "broken" }, true],
    ["DELETE", { kind: "deadline" }, true],
    ["POST", { kind: "not-connected" }, false],
    ["GET", status(504), false],
    ["GET", { kind: "deadline" }, false],
    ["GET", { kind: "broken" }, false],
  ];
  it.each(cases)("%s after %j -> ambiguous %s", (method, failure, expected) => {
    expect(isAmbiguous(method, failure)).toBe(expected);
  });
});

describe("which failures are retried inside the call", () => {
  const cases: Array<[HttpMethod, AttemptFailure, boolean, boolean]> = [
    // method, failure, retryable (for the engine), retried in the call
    ["GET", status(502), true, true],
    ["GET", status(429), true, true],
    ["GET", status(404), false, false],
    ["GET", { kind: "broken" }, true, true],
    ["GET", { kind: "not-connected" }, true, true],
    ["GET", { kind: "deadline" }, true, false],
    ["POST", status(502), true, false],
    ["POST", { kind: "not-connected" }, true, false],
    ["PATCH", status(429), true, false],
  ];
  it.each(cases)("%s after %j -> retryable %s, retried in call %s", (method, failure, retryable, inCall) => {
    expect(isRetryable(failure)).toBe(retryable);
    expect(mayRetryInCall(method, failure)).toBe(inCall);
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2026-12-01T10:00:00Z");
  const cases: Array<[string | null, number | undefined]> = [
    [null, undefined],
    ["0", 0],
    ["3", 3_000],
    ["1.5", 1_500],
    ["Tue, 01 Dec 2026 10:00:30 GMT", 30_000],
    ["Tue, 01 Dec 2026 09:59:00 GMT", 0],
    ["soon", undefined],
  ];
  it.each(cases)("%s -> %s ms", (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe("network errors", () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  const fetchFailed = (cause: unknown) => new TypeError("fetch failed", { cause });
  const cases: Array<[string, unknown, "not-connected" | "broken"]> = [
    ["refused", fetchFailed(coded("ECONNREFUSED")), "not-connected"],
    ["unknown host", fetchFailed(coded("ENOTFOUND")), "not-connected"],
    ["DNS try again", fetchFailed(coded("EAI_AGAIN")), "not-connected"],
    ["every address refused", fetchFailed(new AggregateError([coded("ECONNREFUSED"), coded("ECONNREFUSED")])), "not-connected"],
    ["reset", fetchFailed(coded("ECONNRESET")), "broken"],
    ["undici socket closed", fetchFailed(coded("UND_ERR_SOCKET")), "broken"],
    ["socket hang up without a code", fetchFailed(new Error("socket hang up")), "broken"],
    ["one address refused, one reset", fetchFailed(new AggregateError([coded("ECONNREFUSED"), coded("ECONNRESET")])), "broken"],
  ];
  it.each(cases)("%s -> %s", (_label, error, expected) => {
    expect(classifyNetworkError(error)).toBe(expected);
  });
});
