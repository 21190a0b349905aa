import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { pickFault, planFor, type ActiveFault, type FaultRule } from "./faults.js";

export interface FakeRequest {
  method: string;
  /** Path without the query, as sent (percent-encoding kept). */
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingMessage["headers"];
  body: unknown;
  at: number;
  /** The client's port: tells which app process sent it (see processOwningPort). */
  remotePort: number;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  /** Named groups become `params` (percent-decoded). */
  pattern: RegExp;
  handle(request: FakeRequest): FakeAnswer;
}

export interface RecordedRequest extends Omit<FakeRequest, "params" | "headers" | "query"> {
  query: Record<string, string>;
  /** What the client got: a status, or "dropped" / "stalled". */
  outcome: number | "dropped" | "stalled";
}

export interface FakeServer {
  url: string;
  port: number;
  /** Every request, in arrival order (recorded when it arrives; `outcome` is filled when answered). */
  requests: RecordedRequest[];
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  close(): Promise<void>;
}

/** Unref'd: a held answer never keeps the test process alive after the fake is closed. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** A plain node:http server on 127.0.0.1 (port 0) that serves `routes`, records requests and applies fault rules. */
export async function startFakeServer(routes: Route[]): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const faults: ActiveFault[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    void serve(req, res).catch(() => res.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const body = await readBody(req);
    const request: FakeRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      params: {},
      headers: req.headers,
      body,
      at: Date.now(),
      remotePort: req.socket.remotePort ?? 0,
    };
    const record: RecordedRequest = {
      method: request.method,
      path: request.path,
      query: Object.fromEntries(url.searchParams),
      body,
      at: request.at,
      remotePort: request.remotePort,
      outcome: 0,
    };
    requests.push(record);

    const plan = planFor(pickFault(faults, { method: request.method, path: request.path, now: request.at }));
    if (plan.delayBeforeMs > 0) await sleep(plan.delayBeforeMs);
    let answer: FakeAnswer = { status: 404, body: { message: "Not Found" } };
    if (plan.runHandler) answer = route(request);
    if (plan.delayAfterMs > 0) await sleep(plan.delayAfterMs);
    if (res.destroyed || req.socket.destroyed) {
      record.outcome = "dropped";
      return;
    }
    if (plan.outcome === "drop") {
      record.outcome = "dropped";
      req.socket.destroy();
      return;
    }
    if (plan.outcome === "status") answer = { status: plan.status!, body: { message: `fault: HTTP ${plan.status}` } };
    const text = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    const contentType = typeof answer.body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";
    res.writeHead(answer.status, { "content-type": contentType, "content-length": Buffer.byteLength(text), ...answer.headers });
    if (plan.outcome === "stall") {
      // Headers and half the body, then nothing: only a deadline on the whole body ends this call.
      res.write(text.slice(0, Math.floor(text.length / 2)));
      record.outcome = "stalled";
      return;
    }
    res.end(text);
    record.outcome = answer.status;
  }

  function route(request: FakeRequest): FakeAnswer {
    for (const candidate of routes) {
      if (candidate.method !== request.method) continue;
      const match = candidate.pattern.exec(request.path);
      if (!match) continue;
      const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value)]));
      return candidate.handle({ ...request, params });
    }
    return { status: 404, body: { message: "Not Found" } };
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    addFault: (rule) => faults.push({ rule, used: 0 }),
    clearFaults: () => faults.splice(0),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
