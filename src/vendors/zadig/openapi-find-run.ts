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
import { missingField } from "./errors.js";
import type { ZadigTarget } from "./schema.js";

const PAGE_SIZE = 20;

/** `OpenAPIWorkflowV4TaskListResp` (`GET /openapi/workflows/custom/:name/tasks`): newest first, times in unix seconds. */
const taskList = z.object({
  total: z.number().int().nullish(),
  workflow_tasks: z.array(z.object({ task_id: z.number().int(), create_time: z.number().nullish() })).nullish(),
});

/** `WorkflowTaskPreview.params`: the workflow parameters the task ran with (OpenAPI `parameters[]`). */
const taskParams = z.object({
  params: z.array(z.object({ name: z.string(), value: z.string().nullish(), is_credential: z.boolean().nullish() })).nullish(),
});

/**
 * Custom workflows (OpenAPI): lists the workflow's tasks created since the trigger and reads each
 * one's parameters until one has our RELAY_RUN_ID. Zadig keeps only the parameters the workflow
 * declares, so the workflow must declare a `RELAY_RUN_ID` parameter; a task without it cannot be told
 * apart and the search says so instead of guessing.
 */
export function createOpenapiFindRun(http: VendorHttp, webUrl: (runId: string, target: ZadigTarget) => string | undefined) {
  return async function findRun(req: TriggerRequest<ZadigTarget>, since: number): Promise<RunHandle | null> {
    const wanted = relayRunIdOf("zadig", req);
    const workflow = req.target.workflow;
    if (!workflow) throw missingField("openapi", "findRun", "workflow", "the custom workflow's key");
    const from = searchFrom(since);
    const recent: number[] = [];
    let truncated = false;
    for (let pageNum = 1; pageNum <= MAX_PAGES; pageNum += 1) {
      const page = await http.request("findRun", {
        path: `/openapi/workflows/custom/${encodeURIComponent(workflow)}/tasks`,
        query: { projectKey: req.target.project, pageNum, pageSize: PAGE_SIZE },
        schema: taskList,
      });
      const tasks = page.workflow_tasks ?? [];
      const older = tasks.filter((task) => createdBefore(task.create_time, from));
      recent.push(...tasks.filter((task) => !createdBefore(task.create_time, from)).map((task) => task.task_id));
      if (tasks.length < PAGE_SIZE || older.length > 0) break;
      if (pageNum === MAX_PAGES) truncated = true;
    }
    const candidates = recent.sort((a, b) => b - a);
    if (candidates.length > MAX_CANDIDATES) truncated = true;

    const judged: JudgedCandidate[] = [];
    for (const taskId of candidates.slice(0, MAX_CANDIDATES)) {
      const runId = String(taskId);
      const task = await http.request("findRun", {
        path: "/openapi/workflows/custom/task",
        query: { taskId: runId, workflowKey: workflow },
        schema: taskParams,
      });
      const verdict = judgeTaskParams(task.params ?? [], wanted);
      judged.push({ handle: { runId, webUrl: webUrl(runId, req.target) }, label: `task ${runId}`, verdict });
      if (verdict.kind === "ours") break;
    }
    return settleFoundRun("zadig", decideFoundRun(judged, truncated));
  };
}

export function judgeTaskParams(params: z.infer<typeof taskParams>["params"] & object, wanted: string): CandidateVerdict {
  const relay = params.find((param) => param.name === RELAY_RUN_ID);
  if (!relay) {
    return { kind: "unknown", why: `no ${RELAY_RUN_ID} parameter (declare a workflow parameter ${RELAY_RUN_ID} so Zadig keeps it)` };
  }
  if (relay.is_credential) return { kind: "unknown", why: `${RELAY_RUN_ID} is declared as a credential, so Zadig hides its value` };
  // A task somebody started by hand carries the parameter's default, never our id.
  return relay.value === wanted ? { kind: "ours" } : { kind: "other" };
}

function createdBefore(createTime: number | null | undefined, from: number): boolean {
  return typeof createTime === "number" && createTime > 0 && createTime * 1000 < from;
}
