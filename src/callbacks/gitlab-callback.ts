import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { RelayContext } from "../runs/relay-context.js";
import { callbackTokenOf } from "./callback-settings.js";
import { readLimited } from "../http-body.js";

const ROUTE = /^\/pipeline-relay\/callbacks\/gitlab\/([^/]+)\/?$/;
/** Pipeline events list every job of the pipeline; 2 MiB holds a few thousand jobs. */
export const CALLBACK_MAX_BYTES = 2 * 1024 * 1024;

/** The fields we read of GitLab's Pipeline and Job webhook events (GitLab's "Webhook events" docs). */
const pipelineEvent = z.object({
  object_kind: z.literal("pipeline"),
  object_attributes: z.object({ id: z.number().int().positive() }),
});
const jobEvent = z.object({ object_kind: z.literal("build"), pipeline_id: z.number().int().positive() });
const callbackEvent = z.union([pipelineEvent, jobEvent]);

/**
 * `POST /pipeline-relay/callbacks/gitlab/<connection>`: a GitLab project or group webhook (Pipeline and Job events)
 * authenticated by its secret token (`X-Gitlab-Token`, the connection's `callback_token`). A callback is only a
 * hint: the runs of that connection with that pipeline id become due for a poll now, and the poll (one vendor
 * call) decides what changed. The body's status is never trusted, so a replayed or forged callback costs at most one
 * poll and never changes a check by itself. The answer is the same whether or not a run matched.
 */
export function createGitlabCallbackHandler(ctx: RelayContext, onHint: () => void) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const match = ROUTE.exec(new URL(req.url ?? "/", "http://relay").pathname);
    if (!match) return false;
    // Probot's access log redacts this header (src/github/access-log-redaction.ts).
    const presented = req.headers["x-gitlab-token"];
    const reply = (status: number, body: Record<string, unknown>) => {
      res.writeHead(status, { "content-type": "application/json", ...(status === 413 ? { connection: "close" } : {}) });
      res.end(JSON.stringify(body));
      return true;
    };
    if (req.method !== "POST") return reply(405, { error: "use POST" });

    const name = safeDecode(match[1]!);
    const connection = name !== undefined && Object.hasOwn(ctx.operator.connections, name) ? ctx.operator.connections[name] : undefined;
    const secret = callbackTokenOf(connection);
    if (secret === undefined) return reply(404, { error: "unknown callback connection" });
    if (typeof presented !== "string" || !sameSecret(presented, secret)) return reply(401, { error: "invalid X-Gitlab-Token" });

    const body = await readLimited(req, CALLBACK_MAX_BYTES);
    if (body === undefined) {
      res.on("finish", () => req.destroy());
      return reply(413, { error: `the body is larger than ${CALLBACK_MAX_BYTES} bytes` });
    }
    const pipelineId = pipelineIdOf(body);
    if (pipelineId === undefined) return reply(202, { accepted: false, reason: "not a Pipeline or Job event" });
    const touched = await ctx.store.pollRunsNow(name!, String(pipelineId), ctx.clock());
    ctx.log.debug({ connection: name, pipeline: pipelineId, runs: touched }, "GitLab callback: matching runs are polled now");
    if (touched > 0) onHint();
    return reply(202, { accepted: true });
  };
}

/** The pipeline a Pipeline or Job event is about; undefined for other events or bodies that are not one. */
export function pipelineIdOf(body: Buffer): number | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
  const parsed = callbackEvent.safeParse(raw);
  if (!parsed.success) return undefined;
  return parsed.data.object_kind === "pipeline" ? parsed.data.object_attributes.id : parsed.data.pipeline_id;
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
