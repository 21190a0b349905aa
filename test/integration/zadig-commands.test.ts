import { vendorFixture } from "../helpers/fixtures.js";
import { githubApi } from "../helpers/github-api.js";
import { CANARY_TOKEN, createTestRelay, type TestRelay } from "../helpers/relay.js";
import { prCommentPayload, pullRequestPayload } from "../helpers/webhooks.js";
import { ZADIG_OPERATOR_YAML, zadigApi, zadigRepoConfig, type ZadigApiName } from "../helpers/zadig-api.js";

const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const COMMENT_ID = 492700400;
const TASK = 51;

/** A PR whose `build` pipeline runs as Zadig task 51, optionally already failed (check 901). */
async function prWithTask(api: ZadigApiName, failed = false): Promise<TestRelay> {
  const t = await createTestRelay({ operatorYaml: ZADIG_OPERATOR_YAML, env: { ZADIG_TOKEN: CANARY_TOKEN } });
  githubApi().hasConfig(zadigRepoConfig(api)).headCommit(HEAD).createsCheck(901);
  zadigApi(api).startsTask(TASK);
  await t.receive("pull_request", pullRequestPayload("opened"));
  if (failed) {
    zadigApi(api).reportsTask(TASK, "failed").hasFailure(TASK);
    githubApi().updatesCheck(901, (body) => expect(body.conclusion).toBe("failure"));
    await t.poll();
  }
  return t;
}

const commentAccepted = (api: ZadigApiName) =>
  githubApi().permission("Codertocat", "write").pullRequest(2, { sha: HEAD }).hasConfig(zadigRepoConfig(api));

describe.each<ZadigApiName>(["openapi", "v1.7", "pipeline-v2"])("/retry and /cancel on Zadig (%s)", (api) => {
  it("/retry re-runs the failed task under the same id, with a new check run that follows it to a pass", async () => {
    const t = await prWithTask(api, true);

    commentAccepted(api)
      .createsCheck(902, (body) => {
        expect(body).toMatchObject({ name: "pipeline-relay/build", head_sha: HEAD, status: "queued" });
        expect(body.output!.summary).toContain(`Retry of attempt 1: Zadig re-ran the failed part of run ${TASK}.`);
      })
      .reacts(COMMENT_ID);
    zadigApi(api).retries(TASK);
    await t.receive("issue_comment", prCommentPayload("/retry"));

    // Zadig resets the failed jobs: the same task goes back to `created`, then passes.
    zadigApi(api).reportsTask(TASK, "created");
    await t.poll();
    zadigApi(api).reportsTask(TASK, "passed").hasTests(TASK, { total: 10, passed: 10, failed: 0, skipped: 0 });
    githubApi().updatesCheck(902, (body) => expect(body).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Passed (tests 100%)" } }));
    await t.poll();

    const runs = await t.store.runsForCommit("Codertocat", "Hello-World", HEAD);
    expect(runs.map((run) => [run.attempt, run.vendorRunId, run.state])).toEqual([
      [1, String(TASK), "failure"],
      [2, String(TASK), "success"],
    ]);
  });

  it("/cancel cancels the running task; the check concludes cancelled when Zadig confirms", async () => {
    const t = await prWithTask(api);

    commentAccepted(api).reacts(COMMENT_ID);
    zadigApi(api).cancels(TASK);
    await t.receive("issue_comment", prCommentPayload("/cancel"));

    zadigApi(api).reportsTask(TASK, "cancelled");
    githubApi().updatesCheck(901, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "cancelled", output: { title: "Cancelled by @Codertocat" } });
      expect(body.output!.summary).toContain("| Vendor status | `cancelled` |");
    });
    expect(await t.soon()).toBeGreaterThan(0);
  });

  it("/cancel that Zadig refuses inside an HTTP 200 answer is answered with Zadig's own words; the check keeps running", async () => {
    const t = await prWithTask(api);
    commentAccepted(api).reacts(COMMENT_ID);
    // The refusal is shown on the check and told to the commenter; the run is still tracked.
    const refused = `Cancelling failed: zadig cancel failed: Zadig refused to cancel task ${TASK}: 6163`;
    githubApi().updatesCheck(901, (body) => expect(body).toMatchObject({ status: "queued", output: { summary: expect.stringContaining(refused) } }));
    githubApi().updatesCheck(901, (body) => expect(body).toMatchObject({ status: "in_progress", output: { summary: expect.stringContaining(refused) } }));
    zadigApi(api).reportsTask(TASK, "running");
    githubApi().replies(2, (body) => {
      expect(body).toContain(`\`/cancel\` failed: zadig cancel failed: Zadig refused to cancel task ${TASK}: 6163 取消工作流任务失败`);
      expect(body).not.toContain(CANARY_TOKEN);
    });
    zadigApi(api).answersEnvelope("cancel", TASK, vendorFixture("zadig", "error.v17_cancel_6163"));
    await t.receive("issue_comment", prCommentPayload("/cancel"));
    expect((await t.store.runsForCommit("Codertocat", "Hello-World", HEAD))[0]!.cancelReason).toBeNull();
  });

  it("/retry that Zadig refuses inside an HTTP 200 answer does not claim a re-run", async () => {
    const t = await prWithTask(api, true);
    commentAccepted(api).createsCheck(903, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "Could not run on Zadig" } });
      expect(body.output!.summary).toContain(`Zadig refused to retry task ${TASK}: 6163`);
      expect(body.output!.summary).not.toContain("re-ran the failed part");
    }).reacts(COMMENT_ID);
    zadigApi(api).answersEnvelope("retry", TASK, vendorFixture("zadig", "error.v17_cancel_6163"));
    await t.receive("issue_comment", prCommentPayload("/retry"));
  });
});
