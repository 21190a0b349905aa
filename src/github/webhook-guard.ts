import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import pino, { type Logger } from "pino";

/*
 * Why a guard in front of Probot's webhook route (read from probot 14.3.2 and @octokit/webhooks 14.2.0):
 *
 * - Body: @octokit/webhooks' node middleware (dist-src/middleware/node/get-payload.js) collects every `data`
 *   chunk of the request into an array and concatenates them at `end`: no size limit. It skips reading when
 *   the request already carries `body` as a string (or `body` plus a `rawBody` Uint8Array).
 * - Logs: on a bad signature, verify-and-receive.js attaches the whole event ({ id, name, payload, signature })
 *   to the error as `error.event`. Probot's error handler (lib/helpers/get-error-handler.js) logs that error,
 *   and the middleware (create-middleware.js) logs the AggregateError that carries it again; pino's error
 *   serializer copies every enumerable property, so the raw payload ends up in two log lines. Handler errors
 *   carry the parsed payload the same way (event-handler/receive.js).
 * - Order: Probot's Server (lib/server/server.js) runs its handlers in this order: the webhook middleware
 *   first, then ping and static files, then handlers added with `addHandler`, then 404. An added handler
 *   therefore sees a webhook request only after Probot has read it: the guard has to run before Server's
 *   own `request` listener, which `installWebhookGuard` arranges on the http.Server that `Server.start()`
 *   returns.
 */

/** GitHub caps webhook payloads at 25 MB and does not deliver larger ones. */
export const GITHUB_WEBHOOK_MAX_BYTES = 25 * 1024 * 1024;

export interface WebhookGuardOptions {
  /** Paths the guard watches (Probot's webhook path, default /api/github/webhooks). */
  paths?: readonly string[];
  maxBytes?: number;
  log: Pick<Logger, "warn">;
  /**
   * Answers a delivery itself once its body is read (see webhook-fast-path.ts); false hands it on to Probot.
   * Without it, a body with a Content-Length is left for Probot to read.
   */
  fastPath?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<boolean>;
}

export type GuardVerdict = "pass" | "answered";
export type WebhookGuard = (req: IncomingMessage, res: ServerResponse) => GuardVerdict | Promise<GuardVerdict>;

/**
 * Answers 413 to a webhook request over the cap, before reading its body (by Content-Length) or as soon as a
 * chunked body passes the cap, keeping at most `maxBytes` in memory. A body it read and did not answer itself is
 * handed on already read (`req.body`), so Probot does not read it again.
 */
export function createWebhookGuard(options: WebhookGuardOptions): WebhookGuard {
  const paths = new Set(options.paths ?? ["/api/github/webhooks"]);
  const maxBytes = options.maxBytes ?? GITHUB_WEBHOOK_MAX_BYTES;
  return (req, res) => {
    if (req.method !== "POST" || !paths.has(pathOf(req.url))) return "pass";
    const declared = req.headers["content-length"];
    if (declared !== undefined) {
      // Node's parser never delivers more than Content-Length bytes, so the header alone decides.
      if (Number(declared) > maxBytes) {
        refuse(req, res, maxBytes, options.log, `Content-Length ${declared}`);
        return "answered";
      }
      if (!options.fastPath) return "pass";
    }
    return readCapped(req, maxBytes).then(async (body): Promise<GuardVerdict> => {
      if (body === null) {
        refuse(req, res, maxBytes, options.log, `chunked body over ${maxBytes} bytes`);
        return "answered";
      }
      if (options.fastPath && (await options.fastPath(req, res, body))) return "answered";
      Object.assign(req, { body: new TextDecoder("utf-8").decode(body) });
      return "pass";
    });
  };
}

/**
 * Puts the guard in front of every `request` listener already on the server (Probot's Server has one, added
 * in its constructor). Call it on the http.Server that `Server.start()` resolves with: that promise settles
 * in the `listening` callback, before any request can be parsed, so no request slips past.
 */
export function installWebhookGuard(server: Server, guard: WebhookGuard, log: Pick<Logger, "error">): void {
  const listeners = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    for (const listener of listeners) listener.call(server, req, res);
  };
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const verdict = guard(req, res);
    if (verdict === "pass") return forward(req, res);
    if (verdict === "answered") return;
    verdict.then(
      (settled) => settled === "pass" && forward(req, res),
      (error: unknown) => {
        log.error({ err: error instanceof Error ? error.message : String(error) }, "webhook guard failed");
        if (!res.headersSent) res.writeHead(400, { "content-type": "application/json" }).end('{"error":"could not read the request"}\n');
      },
    );
  });
}

/** The body, or null once it passed `maxBytes` (what came after is read and dropped, never kept). */
function readCapped(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.off("data", collect).off("end", done).off("error", reject).off("close", closed);
      chunks.length = 0;
      resolve(null);
    };
    let ended = false;
    const done = () => {
      ended = true;
      resolve(Buffer.concat(chunks, size));
    };
    // A client that goes away mid-body settles the promise; after a complete body (every request closes) no
    // error is built at all.
    const closed = () => {
      if (!ended) reject(new Error("the request closed before its body ended"));
    };
    req.on("data", collect).once("end", done).once("error", reject).once("close", closed);
  });
}

/**
 * 413, then the rest of the body is read and dropped so the client gets to read the answer; a client that
 * keeps sending beyond another `maxBytes` is cut off.
 */
function refuse(req: IncomingMessage, res: ServerResponse, maxBytes: number, log: Pick<Logger, "warn">, why: string): void {
  log.warn({ delivery: req.headers["x-github-delivery"], event: req.headers["x-github-event"], why }, "webhook request over GitHub's 25 MB cap refused (413)");
  let dropped = 0;
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > maxBytes) req.socket.destroy();
  });
  req.on("error", () => undefined);
  const body = JSON.stringify({ error: `Payload too large: GitHub webhook payloads are at most ${maxBytes} bytes` });
  res.writeHead(413, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
}

function pathOf(url: string | undefined): string {
  const path = (url ?? "/").split("?")[0] ?? "/";
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

const OMITTED = "[omitted]";

/**
 * Pure: a serialized error without webhook payloads. `event` keeps only its id and name; any `payload`,
 * `body` or `rawBody` is dropped; an Octokit error's request and response keep only method, URL and status.
 */
export function withoutPayloads(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object" || depth > 6) return value;
  if (Array.isArray(value)) return value.map((item) => withoutPayloads(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === "payload" || key === "body" || key === "rawBody") out[key] = OMITTED;
    else if (key === "event" && field && typeof field === "object") out[key] = pick(field, ["id", "name"]);
    else if (key === "request" && field && typeof field === "object") out[key] = pick(field, ["method", "url"]);
    else if (key === "response" && field && typeof field === "object") out[key] = pick(field, ["status", "url"]);
    else out[key] = withoutPayloads(field, depth + 1);
  }
  return out;
}

function pick(source: object, keys: readonly string[]): Record<string, unknown> {
  const record = source as Record<string, unknown>;
  return Object.fromEntries(keys.filter((key) => record[key] !== undefined).map((key) => [key, record[key]]));
}

/** pino's error serializer, then the payloads taken out. */
export function payloadFreeErrorSerializer(error: unknown): unknown {
  return withoutPayloads(pino.stdSerializers.err(error as Error));
}

/**
 * Makes a pino logger (and every child that does not set its own serializers, before or after this call:
 * children inherit the serializers through their prototype) serialize errors without webhook payloads.
 * pino exposes its symbols (`pino.symbols`) for this; there is no other way to change the serializers of a
 * logger someone else built, as Probot builds its own.
 */
export function keepPayloadsOutOfLogs(logger: Logger): void {
  const key = pino.symbols.serializersSym as unknown as keyof Logger;
  const current = (logger as unknown as Record<PropertyKey, Record<string, unknown>>)[key as PropertyKey] ?? {};
  Object.defineProperty(logger, key, {
    value: Object.assign(Object.create(null), current, { err: payloadFreeErrorSerializer }),
    writable: true,
    configurable: true,
  });
}
