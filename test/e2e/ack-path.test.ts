import { readFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import nock from "nock";
import { buildAppIfStale } from "./fakes/launcher.js";
import { World } from "./fakes/world.js";

/**
 * The ack path of the real `probot run` process: a webhook over GitHub's 25 MB cap is refused with 413 before its
 * body is read (the process does not grow by the body's size), and no webhook body reaches the log, not even a
 * bad-signature one (Probot's own error handler logged whole bodies).
 */
const TIMEOUT = 90_000;
const MB = 1024 * 1024;

let world: World | undefined;
beforeAll(() => {
  nock.enableNetConnect("127.0.0.1");
  buildAppIfStale();
});
afterEach(async () => {
  await world?.close();
  world = undefined;
}, TIMEOUT);

/** Resident memory of a process, from /proc (Linux). */
function rssMb(pid: number): number {
  const pages = Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
  return (pages * 4096) / MB;
}

/**
 * Sends a webhook of `bytes` over a raw socket (declared by Content-Length or chunked) and resolves with the status
 * of the answer, which may come before the body is sent: the socket is closed then.
 */
function sendLarge(url: string, bytes: number, declareLength: boolean): Promise<number> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let answer = "";
    let settled = false;
    const finish = (status: number) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(status);
    };
    socket.on("data", (data: Buffer) => {
      answer += data.toString("latin1");
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (match) finish(Number(match[1]));
    });
    socket.on("error", (error) => (settled || answer ? undefined : reject(error)));
    socket.on("close", () => finish(0));
    const framing = declareLength ? `content-length: ${bytes}` : "transfer-encoding: chunked";
    socket.write(`POST ${pathname} HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\nx-github-event: push\r\nx-github-delivery: big-${bytes}\r\nx-hub-signature-256: sha256=00\r\n${framing}\r\n\r\n`);
    const chunk = Buffer.alloc(MB, "a");
    let sent = 0;
    // One chunk per turn of the event loop, so the answer is read as soon as it comes: the server cuts a client that
    // keeps sending long after its 413, and a reset discards an answer still unread in the socket.
    const pump = () => {
      if (settled) return;
      if (sent >= bytes) return void (declareLength || socket.write("0\r\n\r\n"));
      sent += MB;
      const ok = socket.write(declareLength ? chunk : Buffer.concat([Buffer.from(`${MB.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]));
      if (ok) setImmediate(pump);
      else socket.once("drain", pump);
    };
    pump();
  });
}

test("probot run: 413 above 25 MB without buffering the body, and no webhook body in the log", async () => {
  world = await World.create();
  const app = await world.startApp();
  const before = rssMb(app.pid);

  expect(await sendLarge(app.webhookUrl, 100 * MB, true)).toBe(413);
  expect(await sendLarge(app.webhookUrl, 60 * MB, false)).toBe(413);
  // Memory grows by far less than one body (100 MB): the bodies were refused, not read.
  expect(rssMb(app.pid) - before).toBeLessThan(60);

  // A small body with a bad signature: refused by Probot, and its content never logged.
  const marker = "payload-marker-7d1c";
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(app.webhookUrl, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": "bad-sig", "x-hub-signature-256": "sha256=00" } });
    req.on("response", (res) => (res.resume(), resolve(res.statusCode ?? 0)));
    req.on("error", reject);
    req.end(JSON.stringify({ ref: "refs/heads/main", marker }));
  });
  expect(status).toBeGreaterThanOrEqual(400);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(app.log()).not.toContain(marker);
  expect(app.log()).not.toContain("aaaaaaaaaaaaaaaa");
}, TIMEOUT);
