import type { EnvelopedHttp } from "../envelope.js";
import type { FlowPaths } from "./connection.js";
import { createdRunId, jobActionResult, jobLog, pipelineRun, stopAnswer, type PipelineRun } from "./schema.js";

/**
 * Flow's run API in domain words; every call names the adapter operation it serves. `http` checks each
 * answer for Flow's error envelope (`errorCode`, `success: false`) before its success shape.
 */
export function createFlowClient(http: EnvelopedHttp, paths: FlowPaths) {
  return {
    async startRun(operation: string, pipelineId: string, params: string): Promise<string> {
      const id = await http.request(operation, { method: "POST", path: paths.runs(pipelineId), json: { params }, schema: createdRunId, action: `start pipeline ${pipelineId}` });
      return String(id);
    },

    getRun(operation: string, pipelineId: string, runId: string): Promise<PipelineRun> {
      return http.request(operation, { path: paths.run(pipelineId, runId), schema: pipelineRun, action: `report run ${runId}` });
    },

    /** UpdatePipelineRun ("终止流水线运行"): no body; its answer is undocumented (see stopAnswer). */
    async stopRun(operation: string, pipelineId: string, runId: string): Promise<void> {
      await http.request(operation, { method: "PUT", path: paths.run(pipelineId, runId), schema: stopAnswer, action: `stop run ${runId}` });
    },

    /** Stop or retry one job. Flow answers `true` (accepted) or `false` (refused): the caller decides what a refusal means. */
    jobAction(operation: string, action: "stop" | "retry", pipelineId: string, runId: string, jobId: string): Promise<boolean> {
      return http.request(operation, { method: "PUT", path: paths.job(pipelineId, runId, jobId, action), schema: jobActionResult, action: `${action} job ${jobId} of run ${runId}` });
    },

    async jobLog(operation: string, pipelineId: string, runId: string, jobId: string): Promise<string> {
      const log = await http.request(operation, { path: paths.jobLog(pipelineId, runId, jobId), schema: jobLog, action: `show the log of job ${jobId}` });
      return log.content ?? "";
    },
  };
}
export type FlowClient = ReturnType<typeof createFlowClient>;
