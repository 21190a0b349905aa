import { z } from "zod";
import { vendorId } from "../envelope.js";
import { pathSegment } from "../path-segment.js";
import { logTailWithin } from "../log-tail.js";
import type { RunHandle } from "../types.js";
import { missingField, oneLine } from "./errors.js";
import { acknowledgement, logTail, webBaseOf, type FlavourContext, type ZadigFlavour, type ZadigTaskView } from "./flavour.js";
import { openapiTaskBody } from "./request-bodies.js";
import type { ZadigTarget } from "./schema.js";
import { isFailedPart } from "./state-map.js";
import { summarizeTestReports, testReport } from "./test-summary.js";
import { withLogTails } from "../job-report.js";
import { openapiJob, openapiJobEntries, ZADIG_OPENAPI_CANNOT_SHOW } from "./job-report.js";

/** `CreateTaskV4Resp`. */
const createdTask = z.object({ project_name: z.string().optional(), workflow_name: z.string().optional(), task_id: vendorId });

const job = openapiJob;

/** `WorkflowTaskPreview`: `workflow_key` is the internal name, `workflow_name` the display name. */
const task = z.object({
  task_id: vendorId,
  workflow_key: z.string().optional(),
  workflow_name: z.string().optional(),
  status: z.string().default(""),
  start_time: z.number().optional(),
  end_time: z.number().optional(),
  error: z.string().optional(),
  stages: z
    .array(z.object({ name: z.string(), status: z.string().default(""), error: z.string().optional(), jobs: z.array(job).nullish() }))
    .nullish(),
});
type Task = z.infer<typeof task>;

const TESTING_JOB = "zadig-testing";

/** Custom workflows through `/openapi/workflows` (Zadig 1.16 and later). */
export function createOpenapiFlavour({ http, connection }: FlavourContext): ZadigFlavour {
  const workflowOf = (target: ZadigTarget, operation: string) => {
    if (!target.workflow) throw missingField("openapi", operation, "workflow", "the custom workflow's key");
    return target.workflow;
  };
  const taskQuery = (run: RunHandle, target: ZadigTarget, operation: string) => ({ taskId: run.runId, workflowKey: workflowOf(target, operation) });
  const fetchTask = (run: RunHandle, target: ZadigTarget, operation: string) =>
    http.request(operation, { path: "/openapi/workflows/custom/task", query: taskQuery(run, target, operation), schema: task, action: `report task ${run.runId}` });

  function webUrl(runId: string, target: ZadigTarget, displayName?: string): string | undefined {
    if (!target.project || !target.workflow) return undefined;
    const page = `${webBaseOf(connection)}/v1/projects/detail/${pathSegment(target.project)}/pipelines/custom/${pathSegment(target.workflow)}/${pathSegment(runId)}`;
    return displayName ? `${page}?display_name=${encodeURIComponent(displayName)}` : page;
  }

  return {
    webUrl: (runId, target) => webUrl(runId, target),

    async trigger(req) {
      const created = await http.request("trigger", {
        method: "POST",
        path: "/openapi/workflows/custom/task",
        json: openapiTaskBody(req),
        schema: createdTask,
        action: "start a task",
      });
      const runId = String(created.task_id);
      return { runId, webUrl: webUrl(runId, req.target) };
    },

    async getTask(run, target): Promise<ZadigTaskView> {
      const current = await fetchTask(run, target, "getRun");
      return {
        status: current.status,
        startTime: current.start_time,
        endTime: current.end_time,
        webUrl: webUrl(run.runId, target, current.workflow_name),
      };
    },

    async cancel(run, target) {
      await http.request("cancel", { method: "DELETE", path: "/openapi/workflows/custom/task", query: taskQuery(run, target, "cancel"), schema: acknowledgement, action: `cancel task ${run.runId}` });
    },

    async retry(run, target) {
      // Zadig resets the failed stages and jobs of this task and runs them again under the same id.
      const workflow = workflowOf(target, "retry");
      await http.request("retry", {
        method: "POST",
        path: `/openapi/workflows/custom/${pathSegment(workflow)}/task/${pathSegment(run.runId)}`,
        query: { projectKey: target.project },
        schema: acknowledgement,
        action: `retry task ${run.runId}`,
      });
    },

    async testSummary(run, target) {
      const current = await fetchTask(run, target, "getTestSummary");
      const testingJobs = jobsOf(current).filter((j) => j.type === TESTING_JOB && j.status !== "");
      if (testingJobs.length === 0) return null;
      const workflow = workflowOf(target, "getTestSummary");
      // Custom-workflow test results exist only behind the web UI's own route, not in the OpenAPI.
      const reports = [];
      for (const testing of testingJobs) {
        reports.push(
          await http.request("getTestSummary", {
            path: `/api/aslan/testing/itreport/workflowv4/${pathSegment(workflow)}/id/${pathSegment(run.runId)}/job/${pathSegment(testing.name)}`,
            schema: testReport,
            action: `report the tests of job ${testing.name} in task ${run.runId}`,
          }),
        );
      }
      return summarizeTestReports(reports, "Zadig test report");
    },

    async describeFailure(run, target) {
      const current = await fetchTask(run, target, "describeFailure");
      const failed = (current.stages ?? []).flatMap((stage) =>
        (stage.jobs ?? []).filter((j) => isFailedPart(j.status)).map((j) => ({ stage: stage.name, job: j })),
      );
      const lines = failed.map(({ stage, job: j }) => `- \`${stage}\` / \`${j.display_name || j.name}\` (${j.status})${j.error ? `: ${oneLine(j.error)}` : ""}`);
      if (current.error) lines.push(`- task: ${oneLine(current.error)}`);
      if (lines.length === 0) return null;
      const first = failed[0]?.job;
      if (!first) return ["Failed:", ...lines].join("\n");
      const log = await http.request("describeFailure", {
        path: `/openapi/logs/log/v4/workflow/${pathSegment(workflowOf(target, "describeFailure"))}/${pathSegment(run.runId)}/${pathSegment(first.name)}`,
        responseType: "text",
        headers: { accept: "text/plain, application/json" },
        schema: z.string(),
        action: `show the log of job ${first.name} in task ${run.runId}`,
      });
      return ["Failed jobs:", ...lines, "", `Last lines of \`${first.display_name || first.name}\`:`, "```", logTailWithin(logTail(log)), "```"].join("\n");
    },

    async describeJobs(run, target) {
      const current = await fetchTask(run, target, "describeJobs");
      const workflow = workflowOf(target, "describeJobs");
      const readLog = (jobName: string) =>
        http.request("describeJobs", {
          path: `/openapi/logs/log/v4/workflow/${pathSegment(workflow)}/${pathSegment(run.runId)}/${pathSegment(jobName)}`,
          responseType: "text",
          headers: { accept: "text/plain, application/json" },
          schema: z.string(),
          action: `show the log of job ${jobName} in task ${run.runId}`,
        });
      // logTail with no line limit: it only unwraps a JSON-string answer and drops colour codes.
      const jobs = await withLogTails(openapiJobEntries(current.stages ?? [], readLog), (log) => logTail(log, Number.MAX_SAFE_INTEGER));
      const cannotShow = [ZADIG_OPENAPI_CANNOT_SHOW, ...(current.error ? [`the task itself reported: ${oneLine(current.error)}`] : [])];
      return { jobs, cannotShow };
    },
  };
}

function jobsOf(current: Task) {
  return (current.stages ?? []).flatMap((stage) => stage.jobs ?? []);
}
