import { isActive, latestRuns } from "../runs/latest-runs.js";
import type { StartInput } from "../runs/run-service.js";
import type { Services } from "./services.js";

/**
 * A reopened pull request runs its pipelines again on the same head commit. The automatic start is keyed
 * per commit (a second event for a commit starts nothing), and closing cancelled those runs: so each
 * pipeline that already ran for this commit gets a new attempt; one that never ran starts as usual; one
 * that is still running is left alone.
 */
export async function startReopenedRuns(input: StartInput, services: Services, deliveryId?: string): Promise<void> {
  const latest = latestRuns(await services.ctx.store.runsForCommit(input.repository.owner, input.repository.name, input.sha));
  const plan = planReopenedRuns(input.pipelines, (name) => latest.get(name));
  if (plan.first.length > 0) await services.runs.start({ ...input, pipelines: plan.first });
  // Keyed by the delivery: handling the same reopen twice (a crash, a redelivery) starts each attempt once.
  if (plan.again.length > 0 && deliveryId) await services.runs.start({ ...input, pipelines: plan.again, attemptKey: `reopened:${deliveryId}` });
  else for (const pipeline of plan.again) await services.runs.startManual({ ...input, pipelines: [], pipeline });
}

/** Pure: which pipelines start their first attempt, which a new one, given each one's latest run. */
export function planReopenedRuns<Pipeline extends { name: string }, Run extends Parameters<typeof isActive>[0]>(
  pipelines: readonly Pipeline[],
  latestOf: (name: string) => Run | undefined,
): { first: Pipeline[]; again: Pipeline[] } {
  const first: Pipeline[] = [];
  const again: Pipeline[] = [];
  for (const pipeline of pipelines) {
    const latest = latestOf(pipeline.name);
    if (!latest) first.push(pipeline);
    else if (!isActive(latest)) again.push(pipeline);
  }
  return { first, again };
}
