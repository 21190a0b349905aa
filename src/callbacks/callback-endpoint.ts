import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RelayContext } from "../runs/relay-context.js";
import { callbacksOf } from "./callback-settings.js";
import { readLimited } from "../http-body.js";

const ROUTE = /^\/pipeline-relay\/callbacks\/([^/]+)\/([^/]+)\/?$/;

/**
 * `POST /pipeline-relay/callbacks/<vendor>/<connection>`: a vendor's run notification (a GitLab webhook, a Zadig
 * workflow notification), authenticated by the connection's `callback_token` in the vendor's header. A callback is
 * only a hint: the runs of that connection with the vendor run ids it names become due for a poll now, and the
 * poll (one vendor call) decides what changed. The body's status is never trusted, so a replayed or forged
 * callback costs at most one poll and never changes a check by itself. Nothing is read before the token is
 * checked, and the answer is the same whether or not a run matched.
 */
export function createCallbackHandler(ctx: RelayContext, onHint: () => void) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const match = ROUTE.exec(new URL(req.url ?? "/", "http://relay").pathname);
    if (!match) return false;
    const reply = (status: number, body: Record<string, unknown>) => {
      res.writeHead(status, { "content-type": "application/json", ...(status === 413 ? { connection: "close" } : {}) });
      res.end(JSON.stringify(body));
      return true;
    };
    if (req.method !== "POST") return reply(405, { error: "use POST" });

    const vendorId = safeDecode(match[1]!);
    const name = safeDecode(match[2]!);
    const connection = name !== undefined && Object.hasOwn(ctx.operator.connections, name) ? ctx.operator.connections[name] : undefined;
    const callbacks = connection?.vendor === vendorId ? callbacksOf(connection) : undefined;
    if (!callbacks) return reply(404, { error: "unknown callback connection" });
    // Probot's access log redacts these headers (src/github/access-log-redaction.ts).
    const presented = req.headers[callbacks.tokenHeader];
    if (typeof presented !== "string" || !sameSecret(presented, callbacks.token)) return reply(401, { error: `invalid ${callbacks.tokenHeader}` });

    const body = await readLimited(req, callbacks.maxBytes);
    if (body === undefined) {
      res.on("finish", () => req.destroy());
      return reply(413, { error: `the body is larger than ${callbacks.maxBytes} bytes` });
    }
    const runIds = callbacks.runIdsOf(body.toString("utf8"));
    if (runIds.length === 0) return reply(202, { accepted: false, reason: "not a run notification" });
    let touched = 0;
    for (const runId of runIds) touched += await ctx.store.pollRunsNow(name!, runId, ctx.clock());
    ctx.log.debug({ connection: name, vendorRuns: runIds, runs: touched }, "vendor callback: matching runs are polled now");
    if (touched > 0) onHint();
    return reply(202, { accepted: true });
  };
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
