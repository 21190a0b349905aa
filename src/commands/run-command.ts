import type { PipelineConfig, RepoConfig } from "../config/repo-config.js";
import { reportApproval } from "../github/report-skipped.js";
import type { Octokit } from "../github/octokit.js";
import type { Services } from "../github/services.js";
import { startPullRequestRuns } from "../github/start-pull-request-runs.js";
import { pullRequestTargetsPipeline } from "../matching/match-pipelines.js";
import type { PullRequestEvent } from "../matching/trigger-event.js";
import { isActive, latestRuns, needsRetry } from "../runs/latest-runs.js";
import type { TriggerFacts } from "../runs/stored-request.js";
import { approvalProblem } from "./fork-approval.js";
import type { Command } from "./parse-commands.js";

export interface CommandTarget {
  installationId: number;
  octokit: Octokit;
  author: string;
  config: RepoConfig;
  /** The PR head commit (or the re-requested check's commit) the command acts on. */
  facts: TriggerFacts;
  /** The pull request, for commands that decide like a PR event (`/ok-to-test`, and the approval gate of `/retry`, `/run`). */
  pullRequest?: PullRequestEvent;
}

/** Carries out an authorised command. Returns a problem to tell the author, or undefined when it was done. */
export async function runCommand(command: Command, target: CommandTarget, services: Services): Promise<string | undefined> {
  switch (command.name) {
    case "retry":
      return (await approvalProblem(`/retry${command.pipeline ? ` ${command.pipeline}` : ""}`, target, services)) ?? retry(command.pipeline, target, services);
    case "cancel":
      return cancel(command.pipeline, target, services);
    case "run":
      return (await approvalProblem(`/run ${command.pipeline}`, target, services)) ?? run(command.pipeline, command.variables, target, services);
    case "ok-to-test":
      return approve(command.sha, target, services);
    case "help":
      return undefined;
  }
}

export function findPipeline(config: RepoConfig, name: string): PipelineConfig | undefined {
  return config.pipelines.find((p) => p.name.toLowerCase() === name.toLowerCase());
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
  if (active.length === 0) return `\`/cancel${name ? ` ${name}` : ""}\`: nothing is running on ${facts.sha.slice(0, 7)}.`;
  for (const run of active) await services.runs.cancel(run, `Cancelled by @${target.author}`);
  return undefined;
}

async function run(name: string, variables: Record<string, string>, target: CommandTarget, services: Services): Promise<string | undefined> {
  const pipeline = findPipeline(target.config, name)!;
  const allowed = pipeline.variables_from_comment;
  const refused = Object.keys(variables).filter((key) => !allowed.includes(key));
  if (refused.length > 0) {
    const allowedText = allowed.length > 0 ? `it allows ${allowed.map((v) => `\`${v}\``).join(", ")}` : "it allows no variables from comments";
    return `\`/run ${pipeline.name}\`: ${refused.map((v) => `\`${v}\``).join(", ")} cannot be set from a comment (${allowedText}; see \`variables_from_comment\`). Nothing was run.`;
  }
  const latest = latestRuns(await services.ctx.store.runsForCommit(target.facts.repository.owner, target.facts.repository.name, target.facts.sha)).get(pipeline.name);
  if (latest && isActive(latest)) return `\`/run ${pipeline.name}\`: it is still running on ${target.facts.sha.slice(0, 7)}; \`/cancel ${pipeline.name}\` first.`;
  await services.runs.startManual({ ...target.facts, installationId: target.installationId, reportMode: target.config.report, pipelines: [], pipeline, variables });
  return undefined;
}

/** The approval is pinned to the commit named in the comment, so a push after it cannot slip through. */
async function approve(sha: string, target: CommandTarget, services: Services): Promise<string | undefined> {
  const { facts, pullRequest } = target;
  if (!pullRequest || !facts.sha.startsWith(sha)) {
    return `\`/ok-to-test ${sha}\`: the pull request's head is \`${facts.sha.slice(0, 7)}\`, not \`${sha}\`. Review that commit and comment \`/ok-to-test ${facts.sha.slice(0, 7)}\`.`;
  }
  const { owner, name } = facts.repository;
  await services.ctx.store.addApproval({ owner, repo: name, prNumber: pullRequest.number, sha: facts.sha, approver: target.author, approvedAt: services.ctx.clock() });
  const commit = { owner, repo: name, sha: facts.sha, mode: target.config.report };
  await reportApproval(target.octokit, commit, { approvedBy: target.author }, services.ctx.operator.masker);
  await startPullRequestRuns(facts.repository, pullRequest, target.config, services, {
    installationId: target.installationId,
    octokit: target.octokit,
    ignoreActionTypes: true,
    reportSkips: true,
  });
  return undefined;
}
