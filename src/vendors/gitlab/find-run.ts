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
import type { GitlabTarget } from "./schema.js";

/** Up to MAX_PAGES × 50 pipelines listed, enough to rule out MAX_CANDIDATES of them. */
const PER_PAGE = 50;

/** "List project pipelines": only the fields the search reads. */
const listedPipelines = z.array(
  z.object({
    id: z.number().int(),
    sha: z.string(),
    ref: z.string(),
    web_url: z.string(),
    created_at: z.string().nullish(),
  }),
);

/** "Get variables of a pipeline": the variables passed when the pipeline was created (API, trigger, run form). */
const pipelineVariables = z.array(z.object({ key: z.string(), value: z.string().nullish() }));

/**
 * Finds the pipeline a lost create may have started: pipelines of the ref updated since the trigger,
 * newest first, each asked for its variables until one carries our RELAY_RUN_ID. Every pipeline the
 * relay creates carries it, so a pipeline without the variable is somebody else's.
 */
export function createGitlabFindRun(http: VendorHttp, projectPath: (target: GitlabTarget) => string) {
  return async function findRun(req: TriggerRequest<GitlabTarget>, since: number): Promise<RunHandle | null> {
    const wanted = relayRunIdOf("gitlab", req);
    const from = searchFrom(since);
    // The relay creates pipelines for a ref, never a sha: the branch may have moved since, so the sha only orders.
    const ref = req.target.ref ?? req.ref;
    const listed: Array<z.infer<typeof listedPipelines>[number]> = [];
    let truncated = false;
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const pipelines = await http.request("findRun", {
        path: `${projectPath(req.target)}/pipelines`,
        query: { ref, updated_after: new Date(from).toISOString(), order_by: "id", sort: "desc", per_page: PER_PAGE, page },
        schema: listedPipelines,
      });
      listed.push(...pipelines.filter((pipeline) => !createdBefore(pipeline.created_at, from)));
      if (pipelines.length < PER_PAGE) break;
      if (page === MAX_PAGES) truncated = true;
    }
    // Same commit first: the likeliest match costs one variables call.
    const ordered = [...listed.filter((p) => p.sha === req.sha), ...listed.filter((p) => p.sha !== req.sha)];
    if (ordered.length > MAX_CANDIDATES) truncated = true;

    const judged: JudgedCandidate[] = [];
    for (const pipeline of ordered.slice(0, MAX_CANDIDATES)) {
      const variables = await http.request("findRun", {
        path: `${projectPath(req.target)}/pipelines/${pipeline.id}/variables`,
        schema: pipelineVariables,
      });
      const verdict = judgeVariables(variables, wanted);
      judged.push({ handle: { runId: String(pipeline.id), webUrl: pipeline.web_url }, label: `pipeline ${pipeline.id}`, verdict });
      if (verdict.kind === "ours") break;
    }
    return settleFoundRun("gitlab", decideFoundRun(judged, truncated));
  };
}

export function judgeVariables(variables: z.infer<typeof pipelineVariables>, wanted: string): CandidateVerdict {
  const relay = variables.find((variable) => variable.key === RELAY_RUN_ID);
  if (!relay) return { kind: "other" };
  if (relay.value === null || relay.value === undefined) {
    return { kind: "unknown", why: `GitLab does not show the value of ${RELAY_RUN_ID} to this token` };
  }
  return relay.value === wanted ? { kind: "ours" } : { kind: "other" };
}

function createdBefore(createdAt: string | null | undefined, from: number): boolean {
  if (!createdAt) return false;
  const time = Date.parse(createdAt);
  return Number.isFinite(time) && time < from;
}
