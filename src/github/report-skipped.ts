import { fitCheckView } from "../reporting/github-limits.js";
import type { SecretMasker } from "../secrets.js";
import { checkName, eventCheck, type Octokit } from "./octokit.js";
import { publishReport } from "./publish-report.js";

export const APPROVAL_CHECK_NAME = "pipeline-relay/approval";

interface CommitTarget {
  owner: string;
  repo: string;
  sha: string;
  mode: "checks" | "statuses";
}

/** A neutral result for a pipeline that did not run, so a required check never hangs. */
export async function reportSkipped(octokit: Octokit, target: CommitTarget, pipeline: string, reason: string, masker: SecretMasker): Promise<void> {
  await publishReport(
    octokit,
    { ...target, name: checkName(pipeline), ...eventCheck("skipped") },
    fitCheckView({
      status: "completed",
      conclusion: "neutral",
      title: `Skipped: ${reason}`,
      summary: `pipeline-relay did not run \`${pipeline}\` for this commit: ${reason}.\n\nComment \`/run ${pipeline}\` on the pull request to run it anyway.`,
    }),
    masker,
  );
}

/** The `pipeline-relay/approval` gate on an outside contributor's commit, or its approval. */
export async function reportApproval(
  octokit: Octokit,
  target: CommitTarget,
  state: { approvedBy: string } | { author: string },
  masker: SecretMasker,
): Promise<void> {
  const short = target.sha.slice(0, 7);
  const view =
    "approvedBy" in state
      ? { status: "completed" as const, conclusion: "success" as const, title: `Approved by @${state.approvedBy}`, summary: `@${state.approvedBy} approved running pipelines for \`${short}\`.` }
      : {
          status: "queued" as const,
          title: "Waiting for a maintainer's approval",
          summary: [
            `@${state.author} does not have write access to this repository, so pipelines do not start on their pull requests by themselves.`,
            "",
            `A maintainer who has reviewed the changes can start them by commenting \`/ok-to-test ${short}\`.`,
            "The approval covers exactly this commit: a later push needs a new approval unless a maintainer pushed it.",
          ].join("\n"),
        };
  await publishReport(octokit, { ...target, name: APPROVAL_CHECK_NAME, ...eventCheck("approval") }, fitCheckView(view), masker);
}
