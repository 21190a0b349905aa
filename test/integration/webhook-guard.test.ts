import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { connect } from "node:net";
import nock from "nock";
import pino from "pino";
import { Probot, Server } from "probot";
import { privateKeyFrom, startGuardedServer } from "../../src/github/guarded-server.js";
import { createWebhookGuard, installWebhookGuard, keepPayloadsOutOfLogs } from "../../src/github/webhook-guard.js";
import { pushPayload } from "../helpers/webhooks.js";
import { freePort } from "../helpers/free-port.js";

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

/**
 * Sends a webhook body in 1 MB pieces, with or without Content-Length, and stops at the first answer.
 * A raw TCP client: nock intercepts node:http clients (even when passing them through) and reads no answer
 * before the request is complete, which is exactly the moment this test must see.
 */
function deliver(port: number, body: Buffer, options: { chunked?: boolean; signature?: string } = {}): Promise<Answer> {
  const signature = options.signature ?? `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  const head = [
    "POST /api/github/webhooks HTTP/1.1",
    `Host: 127.0.0.1:${port}`,
    "Content-Type: application/json",
    "X-GitHub-Event: push",
    `X-GitHub-Delivery: ${randomUUID()}`,
    `X-Hub-Signature-256: ${signature}`,
    options.chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${body.length}`,
  ].join("\r\n");
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answer: Answer | undefined;
    let received = Buffer.alloc(0);
    const socket = connect(port, "127.0.0.1");
    socket.on("data", (data: Buffer) => {
      received = Buffer.concat([received, data]);
      const parsed = parseResponse(received);
      if (parsed && !answer) {
        answer = { ...parsed, sentWhenAnswered: sent };
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on("error", (error) => !answer && reject(error));
    socket.on("close", () => !answer && reject(new Error(`connection closed without an answer after ${sent} bytes`)));
    const write = (data: string | Buffer) => (socket.write(data) ? Promise.resolve() : new Promise<void>((done) => socket.once("drain", done).once("close", done)));
    void (async () => {
      await write(`${head}\r\n\r\n`);
      for (let offset = 0; offset < body.length && !answer && !socket.destroyed; offset += MB) {
        const piece = body.subarray(offset, offset + MB);
        sent += piece.length;
        await write(options.chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]) : piece);
        // A pause per piece, as over a real network, so an early answer is seen while the body is still going.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (options.chunked && !answer && !socket.destroyed) await write("0\r\n\r\n");
    })();
  });
}

/** Status and body of a complete HTTP/1.1 answer with Content-Length, or undefined while it is incomplete. */
function parseResponse(data: Buffer): { status: number; body: string } | undefined {
  const end = data.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const head = data.subarray(0, end).toString("latin1");
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
  if (data.length < end + 4 + length) return undefined;
  return { status: Number(head.split(" ")[1]), body: data.subarray(end + 4, end + 4 + length).toString("utf8") };
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

describe("startGuardedServer: probot run's environment, with the guard", () => {
  test("serves webhooks, refuses 26 MB with 413, logs no payload", async () => {
    const logs: string[] = [];
    const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
    const received: string[] = [];
    const port = await freePort();
    const env = { APP_ID: "1", PRIVATE_KEY: privateKey.replace(/\n/g, "\\n"), WEBHOOK_SECRET: SECRET, PORT: String(port), HOST: "127.0.0.1" };
    const started = await startGuardedServer((app) => app.on("push", async (context) => void received.push(context.id)), env, { log });
    try {
      expect(await deliver(port, Buffer.from(JSON.stringify(pushPayload())))).toMatchObject({ status: 200 });
      expect((await deliver(port, filler(26 * MB))).status).toBe(413);
      expect((await deliver(port, filler(64 * 1024), { signature: `sha256=${"0".repeat(64)}` })).status).toBe(400);
      expect(received).toHaveLength(1);
      expect(logs.join("")).not.toContain(MARKER);
    } finally {
      started.httpServer.closeAllConnections();
      await started.server.stop();
    }
  });

  test.each([
    ["PEM", privateKey],
    ["PEM with escaped newlines", privateKey.replace(/\n/g, "\\n")],
    ["base64 of a PEM", Buffer.from(privateKey).toString("base64")],
  ])("private key given as %s", (_name, value) => {
    expect(privateKeyFrom({ PRIVATE_KEY: value })).toBe(privateKey.trim());
  });

  test("a private key that is no key is refused with a message that does not echo it", () => {
    expect(() => privateKeyFrom({ PRIVATE_KEY: "not-a-key-123" })).toThrow("PRIVATE_KEY is neither a PEM private key nor the base64 of one");
  });
});
