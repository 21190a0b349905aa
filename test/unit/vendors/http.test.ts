import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Bottleneck from "bottleneck";
import nock from "nock";
import { z } from "zod";
import { VendorError } from "../../../src/errors.js";
import { SecretMasker } from "../../../src/secrets.js";
import { createVendorHttp, type HttpClientSettings, type VendorHttp } from "../../../src/vendors/http.js";

/** A real HTTP server on the loopback address: the faults below (stalls, resets) need real sockets. */
type Handler = (request: IncomingMessage, response: ServerResponse, attempt: number) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
let received: Array<{ method: string; url: string; body: string }>;

beforeAll(async () => {
  nock.enableNetConnect("127.0.0.1");
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ method: request.method ?? "", url: request.url ?? "", body });
      handler(request, response, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  received = [];
});

afterEach(() => {
  // Stalled answers keep their sockets open; each test starts clean.
  server.closeAllConnections();
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function client(overrides: Partial<HttpClientSettings> = {}, url = baseUrl): VendorHttp {
  return createVendorHttp({
    vendor: "testvendor",
    baseUrl: url,
    timeoutMs: 2_000,
    limiter: new Bottleneck(),
    masker: new SecretMasker(["s3cr3t-token"]),
    retry: { limit: 3, maxRetryAfterMs: 1_000, delayMs: () => 10 },
    ...overrides,
  });
}

const created = z.object({ id: z.number() });
const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
};

async function failure(call: Promise<unknown>): Promise<VendorError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof VendorError)) throw new Error(`expected a VendorError, got ${String(error)}`);
  return error;
}

describe("vendor HTTP client against a real local server", () => {
  it("ends a call whose body stalls after the headers with a retryable deadline error", async () => {
    handler = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"id": 1, "padding": "');
      // ...and never finishes the body.
    };
    const error = await failure(client({ timeoutMs: 300 }).request("getRun", { path: "/runs/1", schema: created }));
    expect(error.message).toContain("no complete answer within 300 ms");
    expect(error).toMatchObject({ retryable: true, ambiguous: false, status: 200 });
    expect(received).toHaveLength(1);
  });

  it("marks a stalled body of a POST ambiguous: the create took effect, its answer is unknown", async () => {
    handler = (_request, response) => {
      response.writeHead(201, { "content-type": "application/json" });
      response.write('{"id": ');
    };
    const error = await failure(client({ timeoutMs: 300 }).request("trigger", { method: "POST", path: "/runs", json: {}, schema: created }));
    expect(error).toMatchObject({ retryable: true, ambiguous: true });
  });

  it("sends a POST answered 504 exactly once and marks it ambiguous", async () => {
    handler = (_request, response) => json(response, 504, { message: "gateway timeout" });
    const error = await failure(client().request("trigger", { method: "POST", path: "/runs", json: { ref: "main" }, schema: created }));
    expect(received).toEqual([{ method: "POST", url: "/runs", body: '{"ref":"main"}' }]);
    expect(error).toMatchObject({ status: 504, retryable: true, ambiguous: true });
    expect(error.message).toContain("HTTP 504");
  });

  it("sends PUT, PATCH and DELETE answered 502 once each", async () => {
    handler = (_request, response) => json(response, 502, {});
    for (const method of ["PUT", "PATCH", "DELETE"] as const) {
      const error = await failure(client().request("cancel", { method, path: "/runs/1", schema: z.unknown() }));
      expect(error).toMatchObject({ status: 502, ambiguous: true });
    }
    expect(received.map((request) => request.method)).toEqual(["PUT", "PATCH", "DELETE"]);
  });

  it("marks a POST whose connection is reset after the request was written ambiguous", async () => {
    handler = (request) => request.socket.destroy();
    const error = await failure(client().request("trigger", { method: "POST", path: "/runs", json: {}, schema: created }));
    expect(received).toHaveLength(1);
    expect(error).toMatchObject({ retryable: true, ambiguous: true, status: undefined });
    expect(error.message).toContain("network error");
  });

  it("does not mark a POST to a refused connection ambiguous: it never left", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await failure(client({}, `http://127.0.0.1:${port}`).request("trigger", { method: "POST", path: "/runs", json: {}, schema: created }));
    expect(error).toMatchObject({ retryable: true, ambiguous: false, status: undefined });
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("does not mark 4xx answers to a POST ambiguous", async () => {
    handler = (_request, response) => json(response, 400, { message: "Reference not found" });
    const error = await failure(client().request("trigger", { method: "POST", path: "/runs", json: {}, schema: created }));
    expect(error).toMatchObject({ status: 400, retryable: false, ambiguous: false });
    expect(received).toHaveLength(1);
  });

  it("tries a GET answered 502 again and returns the later 200", async () => {
    handler = (_request, response, attempt) => (attempt === 1 ? json(response, 502, { message: "bad gateway" }) : json(response, 200, { id: 7 }));
    await expect(client().request("getRun", { path: "/runs/7", schema: created })).resolves.toEqual({ id: 7 });
    expect(received.map((request) => request.method)).toEqual(["GET", "GET"]);
  });

  it("stops retrying a GET after the retry limit with the last error", async () => {
    handler = (_request, response) => json(response, 503, { message: "down" });
    const error = await failure(client({ retry: { limit: 2, maxRetryAfterMs: 1_000, delayMs: () => 5 } }).request("getRun", { path: "/runs/1", schema: created }));
    expect(received).toHaveLength(3);
    expect(error).toMatchObject({ status: 503, retryable: true, ambiguous: false });
  });

  it("surfaces a long Retry-After of a 429 as retryAfterMs instead of waiting for it", async () => {
    handler = (_request, response) => json(response, 429, { message: "slow down" }, { "retry-after": "120" });
    const error = await failure(client().request("getRun", { path: "/runs/1", schema: created }));
    expect(received).toHaveLength(1);
    expect(error).toMatchObject({ status: 429, retryable: true, ambiguous: false, retryAfterMs: 120_000 });
  });

  it("waits a short Retry-After of a 503 inside a GET", async () => {
    handler = (_request, response, attempt) => (attempt === 1 ? json(response, 503, {}, { "retry-after": "0" }) : json(response, 200, { id: 3 }));
    await expect(client().request("getRun", { path: "/runs/3", schema: created })).resolves.toEqual({ id: 3 });
    expect(received).toHaveLength(2);
  });

  it("surfaces Retry-After on a POST answered 429 without sending it again", async () => {
    handler = (_request, response) => json(response, 429, {}, { "retry-after": "1" });
    const error = await failure(client().request("trigger", { method: "POST", path: "/runs", json: {}, schema: created }));
    expect(received).toHaveLength(1);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 1_000, ambiguous: false });
  });

  it("refuses a body larger than the cap with a clear error", async () => {
    handler = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      // No content-length: the cap must hold while streaming.
      response.write(`{"id": 1, "padding": "${"x".repeat(4_096)}`);
      response.end('"}');
    };
    const error = await failure(client({ maxBodyBytes: 1_024 }).request("getRun", { path: "/runs/1", schema: created }));
    expect(error.message).toContain("response body larger than 1024 bytes");
    expect(error).toMatchObject({ retryable: false, ambiguous: false });
  });

  it("refuses a declared Content-Length over the cap before reading", async () => {
    handler = (_request, response) => json(response, 200, { id: 1, padding: "y".repeat(2_048) });
    const error = await failure(client({ maxBodyBytes: 1_024 }).request("getRun", { path: "/runs/1", schema: created }));
    expect(error.message).toContain("larger than 1024 bytes");
  });

  it("masks secrets in error messages", async () => {
    handler = (_request, response) => json(response, 401, { message: "token s3cr3t-token is invalid" });
    const error = await failure(client().request("getRun", { path: "/runs/1", schema: created }));
    expect(error.message).toContain("token *** is invalid");
    expect(error.message).not.toContain("s3cr3t-token");
  });

  it("marks a POST whose 2xx body does not match the schema ambiguous: it took effect", async () => {
    handler = (_request, response) => json(response, 201, { unexpected: true });
    const error = await failure(client().request("trigger", { method: "POST", path: "/runs", json: {}, schema: created }));
    expect(error).toMatchObject({ retryable: false, ambiguous: true, status: 201 });
  });
});
