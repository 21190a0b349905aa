import { z } from "zod";
import type { RunHandle, TriggerRequest } from "../types.js";
import { definitionThreshold } from "./definition-schema.js";
import { vendorId } from "../envelope.js";
import { pathSegment } from "../path-segment.js";
import { oneLine } from "./errors.js";
import { acknowledgement, createdTask, type FlavourContext, type ZadigFlavour } from "./flavour.js";
import type { ZadigTarget } from "./schema.js";
import { isFailedPart } from "./state-map.js";
import { summarizeTestReports, testReport } from "./test-summary.js";
import { aslanJobEntries, ZADIG_ASLAN_CANNOT_SHOW } from "./job-report.js";

/** The aslan `Task` model (v1.7 `task/model.go`), shared by product workflows and pipeline V2 tasks. */
const task = z.object({
  task_id: vendorId,
  pipeline_name: z.string().optional(),
  // `status` is `omitempty`: a task nobody scheduled yet has none.
  status: z.string().default(""),
  start_time: z.number().optional(),
  end_time: z.number().optional(),
  error: z.string().optional(),
  stages: z
    .array(z.object({ type: z.string(), status: z.string().default(""), sub_tasks: z.record(z.string(), z.unknown()).nullish() }))
    .nullish(),
  test_reports: z.record(z.string(), testReport).nullish(),
});
type Task = z.infer<typeof task>;

/** A sub-task inside a stage: only the words used for failure details. */
const subTask = z.object({ status: z.string().optional(), error: z.string().optional() });

export interface AslanFlavourOptions {
  /** e.g. `/api/aslan/workflow/workflowtask` or `/api/aslan/workflow/v2/tasks`. */
  tasksPath: string;
  /** The pipeline or workflow name the task belongs to, or a VendorError saying what is missing. */
  nameOf(target: ZadigTarget, operation: string): string;
  startBody(req: TriggerRequest<ZadigTarget>): unknown;
  /** Query for cancel and restart (v1.7 wants `projectName`). */
  actionQuery(target: ZadigTarget): Record<string, string | undefined>;
  webUrl(runId: string, name: string, target: ZadigTarget): string | undefined;
  source: string;
}

/** Product workflows (v1.7) and pipeline V2 tasks: same task model, different paths and bodies. */
export function createAslanFlavour({ http }: FlavourContext, options: AslanFlavourOptions): ZadigFlavour {
  // The create answer names the pipeline; later calls use it, so a renamed target cannot lose the task.
  const nameFor = (run: RunHandle, target: ZadigTarget, operation: string) => run.extra?.pipeline ?? options.nameOf(target, operation);
  const taskPath = (run: RunHandle, target: ZadigTarget, operation: string) =>
    `${options.tasksPath}/id/${pathSegment(run.runId)}/pipelines/${pathSegment(nameFor(run, target, operation))}`;
  const fetchTask = (run: RunHandle, target: ZadigTarget, operation: string): Promise<Task> =>
    http.request(operation, { path: taskPath(run, target, operation), schema: task, action: `report task ${run.runId}` });

  return {
    webUrl: (runId, target) => options.webUrl(runId, options.nameOf(target, "trigger"), target),

    async trigger(req) {
      const body = options.startBody(req);
      const created = await http.request("trigger", { method: "POST", path: options.tasksPath, json: body, schema: createdTask, action: "start a task" });
      const name = created.pipeline_name || options.nameOf(req.target, "trigger");
      const runId = String(created.task_id);
      return { runId, webUrl: options.webUrl(runId, name, req.target), extra: { pipeline: name } };
    },

    async getTask(run, target) {
      const current = await fetchTask(run, target, "getRun");
      return {
        status: current.status,
        startTime: current.start_time,
        endTime: current.end_time,
        webUrl: options.webUrl(run.runId, nameFor(run, target, "getRun"), target),
      };
    },

    async cancel(run, target) {
      await http.request("cancel", { method: "DELETE", path: taskPath(run, target, "cancel"), query: options.actionQuery(target), schema: acknowledgement, action: `cancel task ${run.runId}` });
    },

    async retry(run, target) {
      await http.request("retry", {
        method: "POST",
        path: `${taskPath(run, target, "retry")}/restart`,
        query: options.actionQuery(target),
        schema: acknowledgement,
        action: `retry task ${run.runId}`,
      });
    },

    async testSummary(run, target) {
      const current = await fetchTask(run, target, "getTestSummary");
      return summarizeTestReports(Object.values(current.test_reports ?? {}), options.source, definitionThreshold(target.definition));
    },

    async describeFailure(run, target) {
      return describeAslanFailure(await fetchTask(run, target, "describeFailure"));
    },

    async describeJobs(run, target) {
      const current = await fetchTask(run, target, "describeJobs");
      const jobs = aslanJobEntries(current.stages ?? []).map(({ entry }) => entry);
      return { jobs, cannotShow: [ZADIG_ASLAN_CANNOT_SHOW, ...(current.error ? [`the task itself reported: ${oneLine(current.error)}`] : [])] };
    },
  };
}

/** Failed stages with their failed sub-tasks (keyed by service) and the task's own error. */
export function describeAslanFailure(current: Task): string | null {
  const lines: string[] = [];
  for (const stage of current.stages ?? []) {
    const failedSubTasks = Object.entries(stage.sub_tasks ?? {}).flatMap(([name, raw]) => {
      const parsed = subTask.safeParse(raw);
      return parsed.success && isFailedPart(parsed.data.status) ? [`\`${name}\`${parsed.data.error ? `: ${oneLine(parsed.data.error)}` : ""}`] : [];
    });
    if (isFailedPart(stage.status) || failedSubTasks.length > 0) {
      lines.push(`- stage \`${stage.type}\` (${stage.status || "no status"})${failedSubTasks.length ? `: ${failedSubTasks.join("; ")}` : ""}`);
    }
  }
  if (current.error) lines.push(`- task: ${oneLine(current.error)}`);
  return lines.length > 0 ? ["Failed:", ...lines].join("\n") : null;
}
