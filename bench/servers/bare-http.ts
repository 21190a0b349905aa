import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

/** The floor: node:http, the HMAC check and JSON.parse of the body, 200. Run as its own process (PORT). */
const secret = process.env.WEBHOOK_SECRET ?? "";
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
    const given = Buffer.from(String(req.headers["x-hub-signature-256"] ?? ""));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(400).end();
      return;
    }
    JSON.parse(body.toString("utf8"));
    res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => process.stdout.write("ready\n"));
