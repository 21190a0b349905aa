import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { RelayContext } from "../runs/relay-context.js";
import type { ResultUpload, RunRecord } from "../storage/types.js";
import { formatZodIssues } from "../zod-issues.js";
import { parseJunit, ResultsFormatError } from "./parse-junit.js";
import { tokenMatches } from "./results-token.js";
import { readLimited } from "../http-body.js";

const ROUTE = /^\/pipeline-relay\/runs\/(\d+)\/results\/?$/;

/** `{total, passed, failed, skipped}` (errored optional) for runners without JUnit output. */
const jsonSummary = z.strictObject({
  total: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative().default(0),
  errored: z.number().int().nonnegative().default(0),
});

export type ResultsListener = (run: RunRecord) => Promise<void>;

/**
 * `POST /pipeline-relay/runs/:id/results` with `Authorization: Bearer $RELAY_RESULTS_TOKEN` and a JUnit XML
 * or JSON summary body. Bad input changes nothing and gets a plain answer; a good upload is stored
 * before the answer, then handed to the listener (which judges the run if it waits for results).
 */
export function createResultsHandler(ctx: RelayContext, onResults: ResultsListener) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const match = ROUTE.exec(new URL(req.url ?? "/", "http://relay").pathname);
    if (!match) return false;
    const reply = (status: number, body: Record<string, unknown>, format: "junit" | "summary" | "unknown" = "unknown") => {
      const outcome = ({ 202: "accepted", 400: "rejected", 401: "unauthorized", 413: "too_large" } as const)[status as 202];
      if (outcome) ctx.metrics.resultsUpload(format, outcome);
      res.writeHead(status, { "content-type": "application/json", ...(status === 413 ? { connection: "close" } : {}) });
      res.end(JSON.stringify(body));
      return true;
    };
    if (req.method !== "POST") return reply(405, { error: "use POST" });

    const uploaded = await ctx.store.getRun(Number(match[1]));
    if (!uploaded) return reply(404, { error: "no such run" });
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const target = await resultsTarget(ctx, uploaded);
    const graceMs = ctx.operator.results.token_grace_minutes * 60_000;
    const expired = target.finishedAt !== null && target.state !== "awaiting_results" && ctx.clock() > target.finishedAt + graceMs;
    if (!token || !tokenMatches(token, uploaded.resultsTokenHash) || expired) return reply(401, { error: "invalid or expired token" });

    const limit = ctx.operator.results.max_upload_mb * 1024 * 1024;
    const body = await readLimited(req, limit);
    if (body === undefined) {
      // Answer at once and close the connection rather than receive the rest.
      res.on("finish", () => req.destroy());
      return reply(413, { error: `the body is larger than ${ctx.operator.results.max_upload_mb} MB` });
    }
    let upload: ResultUpload;
    try {
      upload = parseUpload(body, req.headers["content-type"] ?? "");
    } catch (error) {
      if (error instanceof ResultsFormatError) return reply(400, { error: error.message });
      throw error;
    }
    await ctx.store.addResults(target.id, upload, ctx.clock());
    ctx.log.info({ runId: target.id, total: upload.total, failed: upload.failed }, "test results received");
    reply(202, { run: target.id, accepted: { total: upload.total, passed: upload.passed, failed: upload.failed, skipped: upload.skipped, errored: upload.errored } }, upload.format);
    await onResults(target).catch((error: unknown) => ctx.log.error({ runId: target.id, err: ctx.operator.masker.mask(String(error)) }, "judging uploaded results failed"));
    return true;
  };
}

/** A native vendor retry keeps the old variables, so uploads name the first attempt: they belong to the newest one. */
async function resultsTarget(ctx: RelayContext, run: RunRecord): Promise<RunRecord> {
  if (run.vendorRunId === null) return run;
  const attempts = await ctx.store.findRuns({ owner: run.owner, repo: run.repo, pipeline: run.pipeline });
  return attempts.filter((r) => r.sha === run.sha && r.vendorRunId === run.vendorRunId && r.attempt >= run.attempt).at(-1) ?? run;
}

function parseUpload(body: Buffer, contentType: string): ResultUpload {
  const text = body.toString("utf8");
  if (contentType.includes("json")) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ResultsFormatError(`not valid JSON: ${(error as Error).message}`);
    }
    const parsed = jsonSummary.safeParse(raw);
    if (!parsed.success) throw new ResultsFormatError(`not a results summary: ${formatZodIssues(parsed.error)}`);
    const counts = parsed.data;
    if (counts.passed + counts.failed + counts.skipped + counts.errored > counts.total) {
      throw new ResultsFormatError("passed + failed + skipped + errored is larger than total");
    }
    return { format: "summary", ...counts, failures: [] };
  }
  return { format: "junit", ...parseJunit(text) };
}
