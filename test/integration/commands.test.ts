import { configFixture } from "../helpers/fixtures.js";
import { githubApi, githubRequests } from "../helpers/github-api.js";
import { gitlabApi } from "../helpers/gitlab-api.js";
import { CANARY_TOKEN, createTestRelay, type TestRelay } from "../helpers/relay.js";
import { prCommentPayload, pullRequestPayload, webhookExample } from "../helpers/webhooks.js";

const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const COMMENT_ID = 492700400;

/** A PR whose `backend` pipeline ran on GitLab as pipeline 80 and reached `finalStatus` (or still runs). */
async function prWithRun(finalStatus?: "failed" | "success"): Promise<TestRelay> {
  const t = await createTestRelay();
  githubApi().hasConfig(configFixture("gitlab")).headCommit(HEAD).createsCheck(700);
  gitlabApi().createsPipeline(80, HEAD);
  await t.receive("pull_request", pullRequestPayload("opened"));
  if (finalStatus === "failed") {
    gitlabApi().reportsPipeline(80, "failed", HEAD).hasFailedJobs(80, [{ id: 9, name: "rspec", stage: "test" }], `line 1\ntoken ${CANARY_TOKEN}\nboom`);
    githubApi().updatesCheck(700, (body) => expect(body.conclusion).toBe("failure"));
    await t.poll();
  } else if (finalStatus === "success") {
    gitlabApi().reportsPipeline(80, "success", HEAD).hasTestSummary(80);
    githubApi().updatesCheck(700, (body) => expect(body.conclusion).toBe("success"));
    await t.poll();
  }
  return t;
}

describe("PR comment commands", () => {
  it("/retry re-runs a failed pipeline natively on GitLab, with a new check run and a reaction", async () => {
    const t = await prWithRun("failed");
    expect(JSON.stringify(githubRequests)).not.toContain(CANARY_TOKEN);
    expect(JSON.stringify(githubRequests)).toContain("Last lines of `rspec`");

    githubApi().permission("Codertocat", "write").pullRequest(2, { sha: HEAD }).hasConfig(configFixture("gitlab"));
    gitlabApi().retries(80);
    githubApi()
      .createsCheck(701, (body) => {
        expect(body).toMatchObject({ name: "pipeline-relay/backend", head_sha: HEAD, status: "queued" });
        expect(body.output!.summary).toContain("Retry of attempt 1: GitLab CI re-ran the failed part of run 80.");
      })
      .reacts(COMMENT_ID);
    await t.receive("issue_comment", prCommentPayload("/retry"));

    gitlabApi().reportsPipeline(80, "success", HEAD).hasTestSummary(80);
    githubApi().updatesCheck(701, (body) => expect(body).toMatchObject({ status: "completed", conclusion: "success" }));
    await t.poll();
  });

  it("/retry with nothing failed says so in one reply", async () => {
    const t = await prWithRun("success");
    githubApi()
      .permission("Codertocat", "admin")
      .pullRequest(2, { sha: HEAD })
      .hasConfig(configFixture("gitlab"))
      .replies(2, (body) => expect(body).toBe(`@Codertocat\n\n\`/retry\`: nothing to retry on ec26c3e: every pipeline passed or is still running.`));
    await t.receive("issue_comment", prCommentPayload("/retry"));
  });

  it("/retry <name> forces a new run of a pipeline that passed", async () => {
    const t = await prWithRun("success");
    githubApi().permission("Codertocat", "write", "maintain").pullRequest(2, { sha: HEAD }).hasConfig(configFixture("gitlab"));
    gitlabApi().createsPipeline(81, HEAD);
    githubApi().createsCheck(702, (body) => expect(body.external_id).toBe("2")).reacts(COMMENT_ID);
    await t.receive("issue_comment", prCommentPayload("/retry backend"));
    const runs = await t.store.runsForCommit("Codertocat", "Hello-World", HEAD);
    expect(runs.map((r) => [r.attempt, r.vendorRunId])).toEqual([[1, "80"], [2, "81"]]);
  });

  it("/cancel cancels the running pipeline; the check concludes cancelled when GitLab confirms", async () => {
    const t = await prWithRun();
    githubApi().permission("Codertocat", "write").pullRequest(2, { sha: HEAD }).hasConfig(configFixture("gitlab")).reacts(COMMENT_ID);
    gitlabApi().cancels(80);
    await t.receive("issue_comment", prCommentPayload("/cancel"));

    gitlabApi().reportsPipeline(80, "canceled", HEAD);
    githubApi().updatesCheck(700, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "cancelled", output: { title: "Cancelled by @Codertocat" } });
    });
    expect(await t.soon()).toBeGreaterThan(0); // due at once, without waiting for the next poll
  });

  it("/cancel with nothing running replies", async () => {
    const t = await prWithRun("success");
    githubApi()
      .permission("Codertocat", "write")
      .pullRequest(2, { sha: HEAD })
      .hasConfig(configFixture("gitlab"))
      .replies(2, (body) => expect(body).toContain("`/cancel backend`: nothing is running on ec26c3e."));
    await t.receive("issue_comment", prCommentPayload("/cancel backend"));
  });

  it("an unknown pipeline name gets a reply listing the valid ones", async () => {
    const t = await prWithRun("success");
    githubApi()
      .pullRequest(2, { sha: HEAD })
      .hasConfig(configFixture("gitlab"))
      .replies(2, (body) => expect(body).toContain("there is no pipeline named `frontend`. Pipelines of this repository: `backend`."));
    await t.receive("issue_comment", prCommentPayload("/retry frontend"));
  });

  it("a commenter without write access gets a reply and nothing runs", async () => {
    const t = await prWithRun("failed");
    githubApi()
      .pullRequest(2, { sha: HEAD })
      .hasConfig(configFixture("gitlab"))
      .permission("Codertocat", "read")
      .replies(2, (body) => expect(body).toBe("@Codertocat\n\n@Codertocat only people with write access to Codertocat/Hello-World can run `/retry`. Nothing was run."));
    await t.receive("issue_comment", prCommentPayload("/retry"));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", HEAD)).toHaveLength(1);
  });

  it.each([
    ["an edited comment", (p: any) => (p.action = "edited")],
    ["a comment on a closed PR", (p: any) => (p.issue.state = "closed")],
    ["a bot's comment", (p: any) => (p.comment.user.type = "Bot")],
    ["a comment on an issue", (p: any) => delete p.issue.pull_request],
  ])("ignores %s", async (_name, adjust) => {
    const t = await createTestRelay();
    await t.receive("issue_comment", prCommentPayload("/retry", adjust));
  });

  it("ignores slash words that are not ours", async () => {
    const t = await createTestRelay();
    await t.receive("issue_comment", prCommentPayload("/lgtm\n/assign @octocat"));
  });

  it("the check run's Re-run button does what /retry <pipeline> does", async () => {
    const t = await prWithRun("failed");
    const payload = webhookExample("check_run", (p) => p.action === "rerequested");
    payload.repository = pullRequestPayload("opened").repository;
    payload.check_run.name = "pipeline-relay/backend";
    payload.check_run.head_sha = HEAD;
    // The run was for PR #2: the button reads it to know whether its commit needs an approval (it does not: same repository).
    githubApi().hasConfig(configFixture("gitlab")).pullRequest(2, { sha: HEAD }).createsCheck(703);
    gitlabApi().retries(80);
    await t.receive("check_run", payload);
    const runs = await t.store.runsForCommit("Codertocat", "Hello-World", HEAD);
    expect(runs.map((r) => [r.attempt, r.state])).toEqual([[1, "failure"], [2, "queued"]]);
  });
});
