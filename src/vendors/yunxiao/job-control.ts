import type { Logger } from "probot";
import { isFinalRunState } from "../types.js";
import type { FlowClient } from "./client.js";
import type { FlowSettings } from "./connection.js";
import { flowError, isRefusal } from "./errors.js";
import { jobsOf, type FlowJob } from "./run-facts.js";
import { ACTIVE_JOB_STATUSES, FAILED_JOB_STATUS, mapFlowStatus } from "./state-map.js";

export interface FlowContext {
  client: FlowClient;
  settings: FlowSettings;
  log: Logger;
}

/**
 * Asks Flow to stop a run. The run-level stop (UpdatePipelineRun) is known from third-party clients only
 * (vendor-apis §8.1): when Flow refuses it, the documented job stops do the work instead.
 */
export async function stopRun(ctx: FlowContext, pipelineId: string, runId: string): Promise<void> {
  if (ctx.settings.stop === "run") {
    try {
      await ctx.client.stopRun("cancel", pipelineId, runId);
      return;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      ctx.log.warn(
        { runId, status: error.status, vendorCode: error.vendorCode },
        "Flow refused the run-level stop; stopping the run's jobs instead (set stop: jobs on the connection to skip the attempt)",
      );
    }
  }
  await stopActiveJobs(ctx, pipelineId, runId);
}

async function stopActiveJobs(ctx: FlowContext, pipelineId: string, runId: string): Promise<void> {
  const run = await ctx.client.getRun("cancel", pipelineId, runId);
  const state = mapFlowStatus(run.status);
  // Already over: nothing to stop, and the next poll reports how it ended.
  if (state !== undefined && isFinalRunState(state)) return;
  const active = jobsOf(run).filter((job) => ACTIVE_JOB_STATUSES.has(job.status));
  if (active.length === 0) {
    throw flowError("cancel", `run ${runId} is ${run.status} but has no running or waiting job to stop; try again in a moment`, true);
  }
  const failures: unknown[] = [];
  for (const job of active) {
    try {
      if (!job.id) throw flowError("cancel", `job "${job.name}" of run ${runId} has no id to stop it by`);
      const accepted = await ctx.client.jobAction("cancel", "stop", pipelineId, runId, job.id);
      if (!accepted) throw flowError("cancel", `Flow answered false to stopping job "${job.name}" (id ${job.id}) of run ${runId}`);
    } catch (error) {
      failures.push(error);
    }
  }
  // The other jobs were still asked to stop; the first failure says what went wrong.
  if (failures.length > 0) throw failures[0];
}

export interface JobRetryOutcome {
  /** Jobs Flow accepted to re-run. */
  retried: FlowJob[];
  /** Why the other failed jobs were not re-run. */
  refused: string[];
}

/** Re-runs the failed jobs of a failed run; a job Flow refuses to retry is reported, not thrown. */
export async function retryFailedJobs(ctx: FlowContext, pipelineId: string, runId: string): Promise<JobRetryOutcome> {
  const run = await ctx.client.getRun("retry", pipelineId, runId);
  // Only a failed run has failed jobs to re-run; a cancelled or timed-out one is started afresh.
  if (mapFlowStatus(run.status) !== "failure") return { retried: [], refused: [`run ${runId} is ${run.status}, not FAIL`] };
  const failed = jobsOf(run).filter((job) => job.status === FAILED_JOB_STATUS);
  if (failed.length === 0) return { retried: [], refused: [`run ${runId} has no job with status FAIL`] };

  const outcome: JobRetryOutcome = { retried: [], refused: [] };
  for (const job of failed) {
    if (!job.id) {
      outcome.refused.push(`job "${job.name}" has no id`);
      continue;
    }
    try {
      if (await ctx.client.jobAction("retry", "retry", pipelineId, runId, job.id)) outcome.retried.push(job);
      else outcome.refused.push(`Flow answered false for job "${job.name}"`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      outcome.refused.push(`job "${job.name}": ${error.message}`);
    }
  }
  return outcome;
}
