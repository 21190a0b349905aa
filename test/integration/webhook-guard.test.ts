import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import nock from "nock";
import pino from "pino";
import { Probot, Server } from "probot";
import { createWebhookGuard, installWebhookGuard, keepPayloadsOutOfLogs } from "../../src/github/webhook-guard.js";
import { pushPayload } from "../helpers/webhooks.js";

const SECRET = "webhook-secret-for-tests";
const MARKER = "PAYLOAD-MARKER-";
const MB = 1024 * 1024;
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

interface Running {
  port: number;
  logs: string[];
  received: string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A real Probot Server on 127.0.0.1, as `probot run` builds it, with or without the guard. */
async function startProbot(guarded: boolean): Promise<Running> {
  const logs: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  if (guarded) keepPayloadsOutOfLogs(log);
  const received: string[] = [];
  const port = await freePort();
  const server = new Server({ Probot: Probot.defaults({ appId: 1, privateKey, secret: SECRET, log }), log, host: "127.0.0.1", port });
  await server.load((app: Probot) => app.on("push", async (context) => void received.push(context.id)));
  const httpServer = await server.start();
  if (guarded) installWebhookGuard(httpServer, createWebhookGuard({ log }), log);
  return {
    port,
    logs,
    received,
    stop: async () => {
      httpServer.closeAllConnections();
      await server.stop();
    },
  };
}

interface Answer {
  status: number;
  body: string;
  /** Bytes of the request body written when the answer arrived. */
  sentWhenAnswered: number;
}

/** Sends a webhook body in 1 MB pieces, with or without Content-Length, and stops at the first answer. */
function deliver(port: number, body: Buffer, options: { chunked?: boolean; signature?: string } = {}): Promise<Answer> {
  const signature = options.signature ?? `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/api/github/webhooks",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": signature,
        ...(options.chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(body.length) }),
      },
    });
    req.on("response", (res) => {
      answered = true;
      const sentWhenAnswered = sent;
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body: text, sentWhenAnswered });
        req.destroy();
      });
    });
    req.on("error", (error) => !answered && reject(error));
    void (async () => {
      for (let offset = 0; offset < body.length && !answered; offset += MB) {
        const piece = body.subarray(offset, offset + MB);
        sent += piece.length;
        if (!req.write(piece)) await new Promise((resolve) => req.once("drain", resolve).once("close", resolve));
        // A pause per piece, as over a real network, so an early answer is seen while the body is still going.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (!answered) req.end();
    })();
  });
}

const filler = (bytes: number) => Buffer.from(JSON.stringify({ zen: MARKER.repeat(Math.ceil(bytes / MARKER.length)) }));
const logText = (running: Running) => running.logs.join("");

beforeAll(() => nock.enableNetConnect("127.0.0.1"));

describe("webhook guard in front of a real Probot server", () => {
  let guarded: Running;
  beforeAll(async () => (guarded = await startProbot(true)));
  afterAll(() => guarded.stop());

  test("a signed push within the cap is handled, with Content-Length and chunked", async () => {
    const body = Buffer.from(JSON.stringify(pushPayload()));
    expect(await deliver(guarded.port, body)).toMatchObject({ status: 200 });
    expect(await deliver(guarded.port, body, { chunked: true })).toMatchObject({ status: 200 });
    expect(guarded.received).toHaveLength(2);
  });

  test("26 MB with Content-Length: 413 before the body is read, no payload in the log", async () => {
    const answer = await deliver(guarded.port, filler(26 * MB));
    expect(answer.status).toBe(413);
    expect(answer.sentWhenAnswered).toBeLessThan(4 * MB);
    expect(guarded.received).toHaveLength(2);
    expect(logText(guarded)).not.toContain(MARKER);
  });

  test("40 MB chunked: 413 once the cap is passed, before the client has sent it all", async () => {
    const answer = await deliver(guarded.port, filler(40 * MB), { chunked: true });
    expect(answer.status).toBe(413);
    expect(answer.sentWhenAnswered).toBeGreaterThan(25 * MB);
    expect(answer.sentWhenAnswered).toBeLessThan(32 * MB);
    expect(logText(guarded)).not.toContain(MARKER);
  });

  test("a bad signature gets 400 and the log keeps the delivery but not the body", async () => {
    const before = guarded.logs.length;
    const answer = await deliver(guarded.port, filler(64 * 1024), { signature: `sha256=${"0".repeat(64)}` });
    expect(answer.status).toBe(400);
    const lines = guarded.logs.slice(before).join("");
    expect(lines).toContain("signature does not match");
    expect(lines).not.toContain(MARKER);
    expect(lines.length).toBeLessThan(20_000);
  });
});

describe("without the guard (what Probot does on its own)", () => {
  test("a bad signature puts the whole body in the log", async () => {
    const bare = await startProbot(false);
    try {
      const answer = await deliver(bare.port, filler(64 * 1024), { signature: `sha256=${"0".repeat(64)}` });
      expect(answer.status).toBe(400);
      expect(logText(bare).length).toBeGreaterThan(2 * 64 * 1024);
      expect(logText(bare)).toContain(MARKER);
    } finally {
      await bare.stop();
    }
  });
});
