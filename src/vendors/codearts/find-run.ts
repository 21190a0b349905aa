import { z } from "zod";
import type { VendorRequest } from "../http.js";
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
import { unwrap, VENDOR, type Enveloped } from "./errors.js";
import type { CodeartsTarget } from "./schema.js";

/*
 * CodeArts shows no run variables in its run list or run detail. It does keep the run description
 * RunPipeline was given (the detail's `description`, "运行描述" in the SDK model), so the relay writes
 * its RELAY_RUN_ID into the description and reads it back from there.
 */

const PAGE_SIZE = 20;

/** `[RELAY_RUN_ID=4711]`, at the end of the run description. */
const MARKER = new RegExp(`\\[${RELAY_RUN_ID}=([^\\]\\s]+)\\]`);

export function relayMarker(relayRunId: string): string {
  return `[${RELAY_RUN_ID}=${relayRunId}]`;
}

/** The description RunPipeline gets: the relay's line, cut so that the marker always fits the limit. */
export function describeWithRelayRunId(description: string, relayRunId: string | undefined, limit: number): string {
  if (!relayRunId) return description.slice(0, limit);
  const marker = ` ${relayMarker(relayRunId)}`;
  return `${description.slice(0, Math.max(0, limit - marker.length))}${marker}`;
}

export function relayRunIdInDescription(description: string | null | undefined): string | undefined {
  return description ? MARKER.exec(description)?.[1] : undefined;
}

/** `ListPipelineRuns` (SDK model `ListPipelineRunsResponse`): only the fields the search reads. */
const runList = z.object({
  pipeline_runs: z.array(
    z.object({
      pipeline_run_id: z.string().min(1),
      trigger_type: z.string().nullish(),
      /** Epoch milliseconds; a queued run may not have started yet. */
      start_time: z.number().nullish(),
      build_params: z
        .object({
          build_type: z.string().nullish(),
          commit_id: z.string().nullish(),
          target_branch: z.string().nullish(),
          tag: z.string().nullish(),
        })
        .nullish(),
    }),
  ),
});
type ListedRun = z.infer<typeof runList>["pipeline_runs"][number];

const runDescription = z.object({ description: z.string().nullish() });

/** Run starts that RunPipeline produces; other trigger types (Push, MR, Scheduler, ...) are never ours. */
const API_TRIGGER_TYPE = "Manual";

type Call = <T>(operation: string, request: Omit<VendorRequest<unknown>, "schema">, schema: z.ZodType<T>) => Promise<Enveloped<T>>;

export function createCodeartsFindRun(call: Call, pipelinePath: (target: CodeartsTarget) => string) {
  return async function findRun(req: TriggerRequest<CodeartsTarget>, since: number): Promise<RunHandle | null> {
    const wanted = relayRunIdOf(VENDOR, req);
    const from = searchFrom(since);
    const recent: ListedRun[] = [];
    let truncated = false;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const body = { offset: page * PAGE_SIZE, limit: PAGE_SIZE, sort_key: "start_time", sort_dir: "desc" };
      const listed = unwrap("findRun", await call("findRun", { method: "POST", path: `${pipelinePath(req.target)}/pipeline-runs/list`, json: body }, runList));
      const runs = listed.pipeline_runs;
      recent.push(...runs.filter((run) => !startedBefore(run, from)));
      // Newest first: a page reaching back before the trigger ends the search.
      if (runs.length < PAGE_SIZE || runs.some((run) => startedBefore(run, from))) break;
      if (page === MAX_PAGES - 1) truncated = true;
    }
    const candidates = recent.filter((run) => onRequestedRef(run, req));
    if (candidates.length > MAX_CANDIDATES) truncated = true;

    const judged: JudgedCandidate[] = [];
    for (const run of candidates.slice(0, MAX_CANDIDATES)) {
      const detail = unwrap(
        "findRun",
        await call("findRun", { path: `${pipelinePath(req.target)}/pipeline-runs/detail`, query: { pipeline_run_id: run.pipeline_run_id } }, runDescription),
      );
      const verdict = judgeRun(run, relayRunIdInDescription(detail.description), wanted, req.sha);
      judged.push({ handle: { runId: run.pipeline_run_id }, label: `run ${run.pipeline_run_id}`, verdict });
      if (verdict.kind === "ours") break;
    }
    return settleFoundRun(VENDOR, decideFoundRun(judged, truncated));
  };
}

/**
 * Ours: the description carries our id. Another relay's id, another trigger type or another commit:
 * not ours. A manual run of our commit without any id could be ours with a description CodeArts did
 * not keep: the search cannot decide.
 */
export function judgeRun(run: ListedRun, relayRunId: string | undefined, wanted: string, sha: string): CandidateVerdict {
  if (relayRunId !== undefined) return relayRunId === wanted ? { kind: "ours" } : { kind: "other" };
  if (run.trigger_type && run.trigger_type !== API_TRIGGER_TYPE) return { kind: "other" };
  const commit = run.build_params?.commit_id;
  if (commit && commit.toLowerCase() !== sha.toLowerCase()) return { kind: "other" };
  return { kind: "unknown", why: `a ${run.trigger_type ? `${run.trigger_type} ` : ""}run of this commit whose description carries no ${RELAY_RUN_ID}` };
}

function startedBefore(run: ListedRun, from: number): boolean {
  return typeof run.start_time === "number" && run.start_time > 0 && run.start_time < from;
}

/** Runs of another branch or tag are not ours; a run whose build parameters are not shown yet could be. */
function onRequestedRef(run: ListedRun, req: TriggerRequest<CodeartsTarget>): boolean {
  const params = run.build_params;
  if (!params) return true;
  if (req.refType === "tag") return !params.tag || params.tag === req.ref;
  return !params.target_branch || params.target_branch === req.ref;
}
