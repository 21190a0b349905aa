import { parseCommands } from "../commands/parse-commands.js";
import { planComment, renderCommentReply, type ActionCommand } from "../commands/plan-comment.js";
import { findPipeline, runCommand, type CommandTarget } from "../commands/run-command.js";
import type { RepoConfig } from "../config/repo-config.js";
import { errorMessage } from "../errors.js";
import { ownValue } from "../own-property.js";
import { normalizePullRequest } from "../matching/normalize-event.js";
import { fitComment } from "../reporting/github-limits.js";
import { renderHelp } from "../reporting/render-help.js";
import { checkPermission, type PermissionRules } from "./authorize.js";
import { repositoryOf, type IncomingEvent, type Services } from "./services.js";
import { withRepoConfig } from "./with-repo-config.js";

/**
 * PR comments: `/retry`, `/cancel`, `/run`, `/ok-to-test`, `/help`. Accepted commands get a reaction;
 * whatever the comment holds (several commands, repeats, twenty `/help` lines), it gets at most ONE reply,
 * each command carried out once. Edited comments, closed PRs and bots are ignored.
 */
export async function handleComment(event: IncomingEvent, services: Services): Promise<void> {
  const { payload, octokit } = event;
  if (payload.action !== "created" || !payload.issue.pull_request || payload.issue.state === "closed") return;
  if (payload.comment.user.type === "Bot") return; // never answer ourselves or another bot
  const parsed = parseCommands(payload.comment.body ?? "");
  if (parsed.commands.length === 0 && parsed.malformed.length === 0) return;
  const plan = planComment(parsed);

  const repository = repositoryOf(payload);
  const issue = { owner: repository.owner, repo: repository.name, issue_number: payload.issue.number as number };
  const author: string = payload.comment.user.login;
  // At most one reply per comment, also when the event is handled again after a crash or a failed attempt.
  const reply = async (body: string) => {
    if (!(await services.ctx.store.recordOnce(`reply:${payload.comment.id}`, services.ctx.clock()))) return;
    await octokit.rest.issues.createComment({ ...issue, body: fitComment(services.ctx.operator.masker.mask(body)) });
  };

  const { data: pr } = await octokit.rest.pulls.get({ owner: repository.owner, repo: repository.name, pull_number: issue.issue_number });
  const config = await withRepoConfig(event, repository, pr.head.sha, services);
  if (!config) {
    await reply(`@${author} this repository has no usable \`.github/pipelines.yml\` on its default branch, so there is nothing to run.`);
    return;
  }

  const target: CommandTarget = {
    installationId: event.installationId,
    octokit,
    author,
    config,
    facts: {
      repository,
      sha: pr.head.sha,
      ref: pr.head.ref,
      refType: "branch",
      pullRequest: {
        number: pr.number,
        headRef: pr.head.ref,
        baseRef: pr.base.ref,
        headSha: pr.head.sha,
        fromFork: pr.head.repo?.full_name !== pr.base.repo.full_name,
      },
      event: "comment",
      actor: author,
    },
    pullRequest: normalizePullRequest({ action: "approved", pull_request: pr as never, sender: { login: author } }),
  };
  const answers = plan.malformed.map((m) => `\`${m.line}\`: ${m.problem}.`);
  let accepted = 0;
  for (const command of plan.commands) {
    const problem = await runOne(command, target, services);
    if (problem) answers.push(problem);
    else accepted += 1;
  }
  if (accepted > 0) {
    await octokit.rest.reactions.createForIssueComment({ owner: repository.owner, repo: repository.name, comment_id: payload.comment.id, content: "+1" });
  }
  const body = renderCommentReply({ author, help: plan.help ? renderHelp(config) : undefined, answers, notCarriedOut: plan.notCarriedOut });
  if (body) await reply(body);
}

async function runOne(command: ActionCommand, target: CommandTarget, services: Services): Promise<string | undefined> {
  const named = "pipeline" in command ? command.pipeline : undefined;
  if (named && !findPipeline(target.config, named)) {
    const names = target.config.pipelines.map((p) => `\`${p.name}\``).join(", ");
    return `\`/${command.name} ${named}\`: there is no pipeline named \`${named}\`. Pipelines of this repository: ${names}.`;
  }
  const refusal = await checkPermission(target.octokit, target.facts.repository, target.author, command.name, permissionRules(command.name, named, target.config, services));
  if (refusal) return `${refusal} Nothing was run.`;
  try {
    return await runCommand(command, target, services);
  } catch (error) {
    services.ctx.log.error({ command: command.name, err: services.ctx.operator.masker.mask(errorMessage(error)) }, "command failed");
    return `\`/${command.name}\` failed: ${errorMessage(error)}`;
  }
}

/** The allowlists that apply: the repository's for the command, and those of every connection the command may touch. */
function permissionRules(command: "retry" | "cancel" | "run" | "ok-to-test", pipeline: string | undefined, config: RepoConfig, services: Services): PermissionRules {
  const pipelines = pipeline ? [findPipeline(config, pipeline)!] : config.pipelines;
  const connections = [...new Set(pipelines.map((p) => p.connection))].flatMap((name) => {
    const allowlist = ownValue(services.ctx.operator.connections, name)?.commands[command];
    return allowlist ? [{ name, allowlist }] : [];
  });
  return { repository: config.commands[command], connections };
}
