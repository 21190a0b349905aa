import { parseCommands, type Command } from "../commands/parse-commands.js";
import type { RepoConfig } from "../config/repo-config.js";
import { errorMessage } from "../errors.js";
import { canWrite } from "./authorize.js";
import { runCommand, type CommandTarget } from "../commands/run-command.js";
import { repositoryOf, type IncomingEvent, type Services } from "./services.js";
import { withRepoConfig } from "./with-repo-config.js";

/** PR comments: `/retry [name]` and `/cancel [name]`, only from people with write access. */
export async function handleComment(event: IncomingEvent, services: Services): Promise<void> {
  const { payload, octokit } = event;
  if (payload.action !== "created" || !payload.issue.pull_request || payload.issue.state === "closed") return;
  if (payload.comment.user.type === "Bot") return; // never answer ourselves or another bot
  const parsed = parseCommands(payload.comment.body ?? "");
  if (parsed.commands.length === 0 && parsed.malformed.length === 0) return;

  const repository = repositoryOf(payload);
  const issue = { owner: repository.owner, repo: repository.name, issue_number: payload.issue.number as number };
  const author: string = payload.comment.user.login;
  const reply = (body: string) => octokit.rest.issues.createComment({ ...issue, body: services.ctx.operator.masker.mask(body) });

  if (!(await canWrite(octokit, repository.owner, repository.name, author))) {
    const names = [...parsed.commands.map((c) => `/${c.name}`)].join(", ") || "commands";
    await reply(`@${author} only people with write access to ${repository.fullName} can run ${names}. Nothing was run.`);
    return;
  }

  const { data: pr } = await octokit.rest.pulls.get({ owner: repository.owner, repo: repository.name, pull_number: issue.issue_number });
  const config = await withRepoConfig(event, repository, pr.head.sha, services);
  if (!config) {
    await reply(`@${author} this repository has no usable \`.github/pipelines.yml\` on its default branch, so there is nothing to run.`);
    return;
  }

  const target: CommandTarget = {
    installationId: event.installationId,
    author,
    config,
    facts: {
      repository,
      sha: pr.head.sha,
      ref: pr.head.ref,
      refType: "branch",
      pullRequest: { number: pr.number, headRef: pr.head.ref, baseRef: pr.base.ref, headSha: pr.head.sha },
      event: "comment",
    },
  };
  const problems = parsed.malformed.map((m) => `\`${m.line}\`: ${m.problem}.`);
  let accepted = 0;
  for (const command of parsed.commands) {
    const problem = await runOne(command, target, config, services);
    if (problem) problems.push(problem);
    else accepted += 1;
  }
  if (accepted > 0) {
    await octokit.rest.reactions.createForIssueComment({ owner: repository.owner, repo: repository.name, comment_id: payload.comment.id, content: "+1" });
  }
  if (problems.length > 0) await reply([`@${author}`, ...problems].join("\n\n"));
}

async function runOne(command: Command, target: CommandTarget, config: RepoConfig, services: Services): Promise<string | undefined> {
  if (command.pipeline && !config.pipelines.some((p) => p.name.toLowerCase() === command.pipeline!.toLowerCase())) {
    const names = config.pipelines.map((p) => `\`${p.name}\``).join(", ");
    return `\`/${command.name} ${command.pipeline}\`: there is no pipeline named \`${command.pipeline}\`. Pipelines of this repository: ${names}.`;
  }
  try {
    return await runCommand(command, target, services);
  } catch (error) {
    services.ctx.log.error({ command: command.name, err: errorMessage(error) }, "command failed");
    return `\`/${command.name}\` failed: ${errorMessage(error)}`;
  }
}
