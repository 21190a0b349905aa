import type { PipelineConfig, RepoConfig } from "../config/repo-config.js";
import type { Services } from "../github/services.js";
import { pullRequestTargetsPipeline } from "../matching/match-pipelines.js";
import { isActive, latestRuns, needsRetry } from "../runs/latest-runs.js";
import type { TriggerFacts } from "../runs/stored-request.js";
import type { Command } from "./parse-commands.js";

export interface CommandTarget {
  installationId: number;
  author: string;
  config: RepoConfig;
  /** The PR head commit (or the re-requested check's commit) the command acts on. */
  facts: TriggerFacts;
}

/** Carries out an authorised command. Returns a problem to tell the author, or undefined when it was done. */
export async function runCommand(command: Command, target: CommandTarget, services: Services): Promise<string | undefined> {
  return command.name === "retry" ? retry(command.pipeline, target, services) : cancel(command.pipeline, target, services);
}

async function retry(name: string | undefined, target: CommandTarget, services: Services): Promise<string | undefined> {
  const { facts, config } = target;
  const latest = latestRuns(await services.ctx.store.runsForCommit(facts.repository.owner, facts.repository.name, facts.sha));
  const short = facts.sha.slice(0, 7);
  const chosen: PipelineConfig[] = name
    ? config.pipelines.filter((p) => p.name.toLowerCase() === name.toLowerCase())
    : config.pipelines.filter((p) => {
        const run = latest.get(p.name);
        return run ? needsRetry(run) : facts.pullRequest !== undefined && pullRequestTargetsPipeline(facts.pullRequest.baseRef, p);
      });
  if (chosen.length === 0) return `\`/retry\`: nothing to retry on ${short}: every pipeline passed or is still running.`;

  const problems: string[] = [];
  for (const pipeline of chosen) {
    const previous = latest.get(pipeline.name);
    if (previous && isActive(previous)) {
      problems.push(`\`/retry ${pipeline.name}\`: it is still running on ${short}; \`/cancel ${pipeline.name}\` first.`);
    } else if (previous) {
      await services.runs.retry(previous, pipeline, facts);
    } else {
      await services.runs.start({ ...facts, installationId: target.installationId, reportMode: config.report, pipelines: [pipeline] });
    }
  }
  return problems.length > 0 ? problems.join("\n\n") : undefined;
}

async function cancel(name: string | undefined, target: CommandTarget, services: Services): Promise<string | undefined> {
  const { facts } = target;
  const latest = latestRuns(await services.ctx.store.runsForCommit(facts.repository.owner, facts.repository.name, facts.sha));
  const active = [...latest.values()].filter((run) => isActive(run) && (!name || run.pipeline.toLowerCase() === name.toLowerCase()));
  if (active.length === 0) {
    return `\`/cancel${name ? ` ${name}` : ""}\`: nothing is running on ${facts.sha.slice(0, 7)}.`;
  }
  for (const run of active) await services.runs.cancel(run, `Cancelled by @${target.author} with \`/cancel\`.`);
  return undefined;
}
