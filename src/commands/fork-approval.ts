import type { Services } from "../github/services.js";
import { isTrustedPullRequest, trustedAuthorsOf } from "../github/trust.js";
import type { CommandTarget } from "./run-command.js";

/**
 * Approval is per commit for every way a run can start: a maintainer's `/retry`, `/run` or Re-run button
 * on a pull request whose head commit would not run by itself (an outside contributor's fork, an unlisted
 * bot) needs that commit approved with `/ok-to-test <sha>` first. Returns the answer, or undefined to go on.
 */
export async function approvalProblem(commandText: string, target: CommandTarget, services: Services): Promise<string | undefined> {
  const pr = target.pullRequest;
  if (!pr || target.facts.pullRequest === undefined) return undefined;
  const trusted = trustedAuthorsOf(target.config, services.ctx.operator.trusted_authors);
  if (await isTrustedPullRequest(target.octokit, target.facts.repository, pr, trusted, services.ctx.store)) return undefined;
  return approvalAnswer(commandText, target.facts.sha, pr.author);
}

const NOT_APPROVED = "was not approved, so no pipeline runs for it.";

/** Pure: the answer to a command on a commit nobody approved. */
export function approvalAnswer(commandText: string, sha: string, author: string): string {
  const short = sha.slice(0, 7);
  return (
    `\`${commandText}\`: commit \`${short}\` of @${author}'s pull request ${NOT_APPROVED} ` +
    `Review the changes, then comment \`/ok-to-test ${short}\` to run the pipelines for exactly this commit. Nothing was run.`
  );
}

/** Whether a command's answer is the approval answer (the Re-run button posts only this one). */
export function isApprovalAnswer(answer: string): boolean {
  return answer.includes(NOT_APPROVED);
}
