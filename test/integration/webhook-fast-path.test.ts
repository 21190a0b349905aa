import { createHmac, generateKeyPairSync } from "node:crypto";
import { request } from "node:http";
import nock from "nock";
import pino from "pino";
import type { Probot } from "probot";
import { startGuardedServer, type GuardedServer } from "../../src/github/guarded-server.js";
import { registerWebhookIntake, type Delivery } from "../../src/github/webhook-intake.js";
import { pushPayload } from "../helpers/webhooks.js";
import { freePort } from "../helpers/free-port.js";

const SECRET = "fast-path-webhook-secret";
const MARKER = "FAST-PATH-PAYLOAD-MARKER";
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

beforeAll(() => nock.enableNetConnect("127.0.0.1"));

interface Running {
  port: number;
  /** Deliveries the fast path handed to the intake. */
  intake: Delivery[];
  /** Deliveries that went through Probot's middleware to the app's handler. */
  viaProbot: string[];
  logs: string[];
  started: GuardedServer;
}

/** The guarded server with an app that registers an intake (as the relay does) and also listens through Probot. */
async function start(options: { register?: boolean; failing?: boolean } = {}): Promise<Running> {
  const logs: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  const intake: Delivery[] = [];
  const viaProbot: string[] = [];
  const port = await freePort();
  const started = await startGuardedServer(
    (app: Probot) => {
      app.on("push", async (context) => void viaProbot.push(context.id));
      if (options.register === false) return;
      registerWebhookIntake(app, async (delivery) => {
        if (options.failing) throw new Error("database is locked");
        intake.push(delivery);
        return "stored";
      });
    },
    { APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "debug" },
    { log },
  );
  return { port, intake, viaProbot, logs, started };
}

let running: Running | undefined;
afterEach(async () => {
  running?.started.httpServer.closeAllConnections();
  await running?.started.server.stop();
  running = undefined;
});

const body = JSON.stringify({ ...pushPayload(), marker: MARKER });
const sign = (text: string, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(text).digest("hex")}`;
const headers = (overrides: Record<string, string | undefined> = {}) => {
  const all: Record<string, string | undefined> = {
    "content-type": "application/json",
    "x-github-event": "push",
    "x-github-delivery": "delivery-1",
    "x-hub-signature-256": sign(body),
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined)) as Record<string, string>;
};

function send(port: number, text: string, sendHeaders: Record<string, string>, chunked = false): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/api/github/webhooks", headers: chunked ? sendHeaders : { ...sendHeaders, "content-length": Buffer.byteLength(text) } }, (res) => {
      let answer = "";
      res.on("data", (chunk: Buffer) => (answer += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, type: String(res.headers["content-type"]), text: answer }));
    });
    req.on("error", reject);
    if (chunked) {
      const half = Math.floor(text.length / 2);
      req.write(text.slice(0, half));
      req.end(text.slice(half));
    } else req.end(text);
  });
}

describe("the webhook fast path in front of Probot", () => {
  it.each([
    ["with Content-Length", false],
    ["chunked", true],
  ])("a signed delivery %s is stored as received and answered like Probot (200 ok), without Probot's handler", async (_how, chunked) => {
    running = await start();
    expect(await send(running.port, body, headers(), chunked)).toEqual({ status: 200, type: "text/plain", text: "ok\n" });
    expect(running.intake).toHaveLength(1);
    expect(running.intake[0]).toMatchObject({ id: "delivery-1", name: "push" });
    // The bytes as received, so the store keeps exactly what GitHub signed.
    expect(String(running.intake[0]!.body)).toBe(body);
    // Read from the bytes without parsing them: the push example's installation and repository.
    expect(running.intake[0]!.envelope).toEqual({ action: undefined, installationId: 1, repoFullName: "Codertocat/Hello-World" });
    expect(running.intake[0]!.payload).toBeUndefined();
    expect(running.viaProbot).toEqual([]);
    expect(running.logs.join("\n")).not.toContain(MARKER);
  });

  it.each<[string, Record<string, string | undefined>, number, RegExp]>([
    ["a bad signature", { "x-hub-signature-256": sign(body, "another-secret") }, 400, /signature does not match/],
    ["a signature that is not sha256 hex", { "x-hub-signature-256": "sha256=xyz" }, 400, /signature does not match|signature/i],
    ["no event header", { "x-github-event": undefined }, 400, /Required headers missing: x-github-event/],
    ["no signature header", { "x-hub-signature-256": undefined }, 400, /Required headers missing: x-hub-signature-256/],
    ["a form body", { "content-type": "application/x-www-form-urlencoded" }, 415, /Unsupported \\"Content-Type\\"/],
  ])("%s goes to Probot, which refuses it with its own answer; nothing is stored", async (_case, overrides, status, message) => {
    running = await start();
    const answer = await send(running.port, body, headers(overrides));
    expect(answer.status).toBe(status);
    expect(answer.text).toMatch(message);
    expect(running.intake).toEqual([]);
    expect(running.viaProbot).toEqual([]);
    expect(running.logs.join("\n")).not.toContain(MARKER);
  });

  it("a signed body that is not a JSON object is left to Probot", async () => {
    running = await start();
    const array = "[1,2,3]";
    await send(running.port, array, headers({ "x-hub-signature-256": sign(array) }));
    expect(running.intake).toEqual([]);
  });

  it("a signed body whose envelope the search cannot be sure of is parsed: its top-level action is the one stored", async () => {
    running = await start();
    // `action` after other keys: only parsing finds it (GitHub writes it first; this body is made up).
    const comment = JSON.stringify({ installation: { id: 1 }, action: "created", repository: { id: 7, node_id: "R", name: "hello", full_name: "acme/hello" } });
    expect((await send(running.port, comment, headers({ "x-github-event": "issue_comment", "x-hub-signature-256": sign(comment) }))).status).toBe(200);
    expect(running.intake).toHaveLength(1);
    expect(running.intake[0]!.envelope).toEqual({ action: "created", installationId: 1, repoFullName: "acme/hello" });
  });

  it("a signed body that is not JSON and whose envelope is not certain goes to Probot, which answers 400", async () => {
    running = await start();
    const broken = `${body.slice(0, body.lastIndexOf(","))},`;
    const answer = await send(running.port, broken, headers({ "x-hub-signature-256": sign(broken) }));
    expect(answer.status).toBe(400);
    expect(running.intake).toEqual([]);
  });

  it("without a registered intake every delivery goes through Probot", async () => {
    running = await start({ register: false });
    expect((await send(running.port, body, headers())).status).toBe(200);
    expect(running.viaProbot).toEqual(["delivery-1"]);
  });

  it("a store failure answers 500 (GitHub records a failed delivery) and logs no payload", async () => {
    running = await start({ failing: true });
    const answer = await send(running.port, body, headers());
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.text)).toEqual({ error: "Error: the delivery could not be stored" });
    const log = running.logs.join("\n");
    expect(log).toContain("database is locked");
    expect(log).not.toContain(MARKER);
  });
});
