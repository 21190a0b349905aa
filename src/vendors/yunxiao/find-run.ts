import { z } from "zod";
import type { VendorHttp } from "../http.js";
import {
  decideFoundRun,
  MAX_CANDIDATES,
  MAX_PAGES,
  RELAY_RUN_ID,
  relayRunIdOf,
  searchFrom,
  settleFoundRun,
  type CandidateVerdict,
  type JudgedCandidate,
} from "../find-run.js";
import type { RunHandle, TriggerRequest } from "../types.js";
import type { FlowPaths } from "./connection.js";
import { VENDOR } from "./errors.js";
import { repositoryUrlOf } from "./params.js";
import { sameRepository } from "./run-facts.js";
import type { YunxiaoTarget } from "./schema.js";

/** ListPipelineRuns allows at most 30 per page. */
const PER_PAGE = 30;

/** ListPipelineRuns answers a bare array (paging in headers). */
const listedRuns = z.array(
  z.object({
    pipelineRunId: z.number().int(),
    startTime: z.number().nullish(),
    /** 1 manual, 2 cron, 3 push, 5 pipeline, 6 webhook. */
    triggerMode: z.number().nullish(),
  }),
);
type ListedRun = z.infer<typeof listedRuns>[number];

/** GetPipelineRun: the run's variables (`globalParams`) and code sources, only what the search reads. */
const runFacts = z.object({
  triggerMode: z.number().nullish(),
  globalParams: z.array(z.object({ key: z.string(), value: z.string().nullish(), encrypted: z.boolean().nullish() })).nullish(),
  sources: z.array(z.object({ data: z.record(z.string(), z.unknown()).nullish() })).nullish(),
});
type RunFacts = z.infer<typeof runFacts>;

/**
 * Trigger modes that are never a CreatePipelineRun call: cron, code push, another pipeline. Webhook (6)
 * and manual (1) are kept: which mode Flow records for an API start is not documented.
 */
const NOT_API_TRIGGER_MODES = [2, 3, 5];

/**
 * Finds the Flow run a lost CreatePipelineRun may have started: runs of the pipeline since the
 * trigger, each read until one shows our RELAY_RUN_ID among its `globalParams` (where Flow lists a
 * run's variables; the relay passes it in `envs`).
 */
export function createYunxiaoFindRun(http: VendorHttp, paths: FlowPaths, handleOf: (req: TriggerRequest<YunxiaoTarget>, runId: string) => RunHandle) {
  return async function findRun(req: TriggerRequest<YunxiaoTarget>, since: number): Promise<RunHandle | null> {
    const wanted = relayRunIdOf(VENDOR, req);
    const from = searchFrom(since);
    const pipelineId = String(req.target.pipeline_id);
    const recent: ListedRun[] = [];
    let truncated = false;
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const runs = await http.request("findRun", {
        path: paths.runs(pipelineId),
        query: { perPage: PER_PAGE, page, startTime: from },
        schema: listedRuns,
      });
      recent.push(...runs.filter((run) => !startedBefore(run, from) && !NOT_API_TRIGGER_MODES.includes(run.triggerMode ?? 0)));
      if (runs.length < PER_PAGE) break;
      if (page === MAX_PAGES) truncated = true;
    }
    // Newest first, whatever order Flow listed them in.
    const candidates = recent.sort((a, b) => b.pipelineRunId - a.pipelineRunId);
    if (candidates.length > MAX_CANDIDATES) truncated = true;

    const judged: JudgedCandidate[] = [];
    for (const run of candidates.slice(0, MAX_CANDIDATES)) {
      const runId = String(run.pipelineRunId);
      const facts = await http.request("findRun", { path: paths.run(pipelineId, runId), schema: runFacts });
      const verdict = judgeFlowRun(facts, wanted, { repositoryUrl: repositoryUrlOf(req), ref: req.ref });
      judged.push({ handle: handleOf(req, runId), label: `run ${runId}`, verdict });
      if (verdict.kind === "ours") break;
    }
    return settleFoundRun(VENDOR, decideFoundRun(judged, truncated));
  };
}

/**
 * Ours: RELAY_RUN_ID in globalParams has our value. Another value, a non-API trigger mode, or our
 * repository built from another branch or tag: not ours. A run without the variable could be ours if
 * Flow does not list `envs` there: the search cannot decide.
 */
export function judgeFlowRun(facts: RunFacts, wanted: string, expected: { repositoryUrl: string; ref: string }): CandidateVerdict {
  const relay = (facts.globalParams ?? []).find((param) => param.key === RELAY_RUN_ID);
  if (relay && !relay.encrypted && typeof relay.value === "string") return relay.value === wanted ? { kind: "ours" } : { kind: "other" };
  if (facts.triggerMode !== null && facts.triggerMode !== undefined && NOT_API_TRIGGER_MODES.includes(facts.triggerMode)) return { kind: "other" };
  if (buildsAnotherRef(facts, expected)) return { kind: "other" };
  if (relay) return { kind: "unknown", why: `Flow hides the value of ${RELAY_RUN_ID}` };
  return { kind: "unknown", why: `no ${RELAY_RUN_ID} among its globalParams` };
}

/** The run built our repository from a branch or tag other than the one the relay asked for. */
function buildsAnotherRef(facts: RunFacts, expected: { repositoryUrl: string; ref: string }): boolean {
  return (facts.sources ?? []).some((source) => {
    const data = source.data ?? {};
    if (typeof data.repo !== "string" || !sameRepository(data.repo, expected.repositoryUrl)) return false;
    const built = typeof data.branch === "string" ? data.branch : typeof data.tag === "string" ? data.tag : undefined;
    return built !== undefined && built !== "" && built !== expected.ref;
  });
}

function startedBefore(run: ListedRun, from: number): boolean {
  return typeof run.startTime === "number" && run.startTime > 0 && run.startTime < from;
}
