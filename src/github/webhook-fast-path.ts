import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { envelopeOf, readEnvelope } from "./webhook-envelope.js";
import { worthStoring, type Delivery, type WebhookIntake } from "./webhook-intake.js";

const JSON_CONTENT_TYPE = /^\s*application\/json\s*(?:;|$)/i;
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

export interface FastPathOptions {
  /** WEBHOOK_SECRET. */
  secret: string;
  /** The relay's intake, once the app is loaded; undefined: every request goes to Probot. */
  intake: () => WebhookIntake | undefined;
  log: Pick<Logger, "error" | "debug">;
}

/**
 * Answers a well-formed, correctly signed webhook itself: HMAC-SHA256 of the raw body checked in constant time, the
 * envelope read (see readEnvelope; the body is parsed only when that reading is not certain), the delivery stored
 * as received, `200 ok` — what Probot's middleware answers after the same checks, without its event emitter, its
 * second serialization of the payload or its per-request access log line. Anything else (wrong content type, a
 * missing header, a bad signature, a parsed body that is not a JSON object) returns false and goes to Probot with
 * the body already read, so refusals keep Probot's own answers and log lines.
 */
export function createWebhookFastPath(options: FastPathOptions) {
  const secret = Buffer.from(options.secret, "utf8");
  return async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean> => {
    const intake = options.intake();
    const name = req.headers["x-github-event"];
    const id = req.headers["x-github-delivery"];
    const signature = req.headers["x-hub-signature-256"];
    const contentType = req.headers["content-type"];
    if (!intake || typeof name !== "string" || typeof id !== "string" || typeof signature !== "string") return false;
    if (typeof contentType !== "string" || !JSON_CONTENT_TYPE.test(contentType) || !SIGNATURE.test(signature)) return false;
    const expected = createHmac("sha256", secret).update(body).digest();
    if (!timingSafeEqual(expected, Buffer.from(signature.slice("sha256=".length), "hex"))) return false;
    const delivery = readDelivery(id, name, body);
    if (!delivery) return false;
    try {
      const outcome = await intake(delivery);
      options.log.debug({ delivery: id, event: name, outcome }, "webhook received");
    } catch (error) {
      // As Probot answers a handler error: GitHub records a failed delivery, which the reconciler redelivers.
      options.log.error({ delivery: id, event: name, err: error instanceof Error ? error.message : String(error) }, "webhook could not be stored");
      answer(res, 500, "application/json", `${JSON.stringify({ error: "Error: the delivery could not be stored" })}\n`);
      return true;
    }
    answer(res, 200, "text/plain", "ok\n");
    return true;
  };
}

/**
 * The delivery for the intake: the envelope read from the bytes when that is certain (with the action for the events
 * whose action decides whether they are stored); otherwise the body parsed, as Probot would.
 */
function readDelivery(id: string, name: string, body: Buffer): Delivery | undefined {
  const envelope = readEnvelope(body, !worthStoring(name, undefined));
  if (envelope) return { id, name, body, envelope };
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return undefined;
  return { id, name, body, envelope: envelopeOf(payload) };
}

function answer(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { "content-type": contentType, accept: "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}
