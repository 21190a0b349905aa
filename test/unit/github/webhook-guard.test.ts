import type { IncomingMessage, ServerResponse } from "node:http";
import pino from "pino";
import { createWebhookGuard, keepPayloadsOutOfLogs, withoutPayloads } from "../../../src/github/webhook-guard.js";

describe("withoutPayloads", () => {
  test.each([
    ["event keeps id and name", { event: { id: "d-1", name: "push", payload: "{…}", signature: "sha256=x" } }, { event: { id: "d-1", name: "push" } }],
    ["nested aggregate errors", { aggregateErrors: [{ message: "m", event: { id: "d", payload: { a: 1 } } }] }, { aggregateErrors: [{ message: "m", event: { id: "d" } }] }],
    ["payload, body and rawBody anywhere", { a: { payload: "x", body: "y", rawBody: "z", keep: 1 } }, { a: { payload: "[omitted]", body: "[omitted]", rawBody: "[omitted]", keep: 1 } }],
    ["Octokit request and response", { status: 502, request: { method: "POST", url: "/x", body: "b", headers: {} }, response: { status: 502, url: "/x", data: "d" } }, { status: 502, request: { method: "POST", url: "/x" }, response: { status: 502, url: "/x" } }],
    ["plain values", "text", "text"],
  ])("%s", (_name, input, expected) => {
    expect(withoutPayloads(input)).toEqual(expected);
  });
});

describe("keepPayloadsOutOfLogs", () => {
  test("covers the logger and children made before and after, as Probot makes them", () => {
    const lines: string[] = [];
    const root = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    const probotLog = root.child({ name: "probot" });
    const error = Object.assign(new Error("[@octokit/webhooks] signature does not match event payload and secret"), {
      event: { id: "delivery-9", name: "push", payload: "SECRET-PAYLOAD" },
    });

    probotLog.error(error);
    expect(lines.join("")).toContain("SECRET-PAYLOAD"); // pino on its own logs it

    keepPayloadsOutOfLogs(probotLog);
    lines.length = 0;
    probotLog.error(error);
    probotLog.child({ name: "event", id: "delivery-9" }).error(new AggregateError([error], error.message));
    expect(lines).toHaveLength(2);
    expect(lines.join("")).not.toContain("SECRET-PAYLOAD");
    expect(JSON.parse(lines[0]!).err).toMatchObject({ message: error.message, event: { id: "delivery-9", name: "push" } });
  });
});

describe("createWebhookGuard: which requests it looks at", () => {
  const guard = createWebhookGuard({ log: { warn: () => undefined }, maxBytes: 10 });
  const request = (method: string, url: string, headers: Record<string, string>) => ({ method, url, headers }) as unknown as IncomingMessage;
  const response = () => {
    const written: number[] = [];
    const res = { writeHead: (status: number) => (written.push(status), res), end: () => res } as unknown as ServerResponse;
    return { res, written };
  };

  test.each([
    ["GET on the webhook path", "GET", "/api/github/webhooks", { "content-length": "99" }, "pass"],
    ["another path", "POST", "/pipeline-relay/runs/1/results", { "content-length": "99" }, "pass"],
    ["within the cap", "POST", "/api/github/webhooks", { "content-length": "10" }, "pass"],
  ])("%s is passed on", (_name, method, url, headers, verdict) => {
    expect(guard(request(method, url, headers), response().res)).toBe(verdict);
  });

  test.each(["/api/github/webhooks", "/api/github/webhooks/", "/api/github/webhooks?x=1"])("over the cap on %s -> 413", (url) => {
    const req = Object.assign(request("POST", url, { "content-length": "11" }), { on: () => req, socket: {} });
    const { res, written } = response();
    expect(guard(req, res)).toBe("answered");
    expect(written).toEqual([413]);
  });
});
