import { fitCheckView } from "../reporting/github-limits.js";
import type { SecretMasker } from "../secrets.js";
import { checkName, type Octokit } from "./octokit.js";
import { publishReport } from "./publish-report.js";

export const APPROVAL_CHECK_NAME = "pipeline-relay/approval";

/**
 * The external_id of the check runs an event writes itself (not a run's): the commit's check runs of that name
 * are looked up first and ours updated, so handling an event again (after a crash, or a GitHub failure half-way
 * through its reports) never adds a second one.
 */
export const EVENT_CHECK_EXTERNAL_ID = { skipped: "pipeline-relay:skipped", approval: "pipeline-relay:approval", config: "pipeline-relay:config" } as const;

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
    { ...target, name: checkName(pipeline), checkRunId: null, externalId: EVENT_CHECK_EXTERNAL_ID.skipped, lookupFirst: true },
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
  const gate = { ...target, name: APPROVAL_CHECK_NAME, checkRunId: null, externalId: EVENT_CHECK_EXTERNAL_ID.approval, lookupFirst: true };
  await publishReport(octokit, gate, fitCheckView(view), masker);
}
