import { githubApi, githubRequests } from "../helpers/github-api.js";
import {
  CODEARTS_ACCESS_KEY,
  CODEARTS_CANARY,
  CODEARTS_ENV,
  CODEARTS_OPERATOR_YAML,
  CODEARTS_TOKEN,
  codeartsFor,
  codeartsRepoConfig,
  FAILED_JOB_ID,
  FAILED_STEP_ID,
  type CredentialForm,
} from "../helpers/codearts-api.js";
import { createTestRelay, type TestRelay } from "../helpers/relay.js";
import { prCommentPayload, pullRequestPayload } from "../helpers/webhooks.js";

const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const RUN_ID = "de6c9098f45a4ac58a6efc9c1b81df82";
const QUEUE_ID = "0a1b2c3d4e5f40718293a4b5c6d7e8f9";
const COMMENT_ID = 492700400;

describe.each<CredentialForm>(["iam", "aksk"])("CodeArts queue, cancel, failure and retry (%s credentials)", (form) => {
  /** A PR whose `backend` pipeline CodeArts accepted (or queued) as RUN_ID, reported on check run 900. */
  async function prWithRun(answer: "started" | "queued"): Promise<TestRelay> {
    const t = await createTestRelay({ operatorYaml: CODEARTS_OPERATOR_YAML, env: CODEARTS_ENV });
    githubApi()
      .hasConfig(codeartsRepoConfig(form))
      .headCommit(HEAD)
      .createsCheck(900, (body) => expect(body).toMatchObject({ status: "queued", output: { title: "Queued on CodeArts Pipeline" } }));
    const api = codeartsFor(form, { issueToken: true });
    if (answer === "queued") api.queuesRun(RUN_ID, QUEUE_ID);
    else api.startsRun(RUN_ID);
    await t.receive("pull_request", pullRequestPayload("opened"));
    return t;
  }

  function commandIsAllowed() {
    return githubApi().permission("Codertocat", "write").pullRequest(2, { sha: HEAD }).hasConfig(codeartsRepoConfig(form));
  }

  /** What this form must never show: the password or secret key, and the IAM token or the access key. */
  const secrets = form === "iam" ? [CODEARTS_CANARY, CODEARTS_TOKEN] : [CODEARTS_CANARY, CODEARTS_ACCESS_KEY];

  function expectNoSecrets(t: TestRelay) {
    for (const secret of secrets) {
      expect(JSON.stringify(githubRequests)).not.toContain(secret);
      expect(t.logs.join("\n")).not.toContain(secret);
    }
  }

  it("a queued start (HTTP 200 with DEVPIPE.00011169) shows queued until CodeArts runs it, then completes", async () => {
    const t = await prWithRun("queued");
    const [run] = await t.store.runsForCommit("Codertocat", "Hello-World", HEAD);
    expect(run).toMatchObject({ state: "queued", vendorRunId: RUN_ID, handleExtra: JSON.stringify({ queue_id: QUEUE_ID }) });

    codeartsFor(form).reportsRun(RUN_ID, "running", { status: "QUEUED" });
    await t.poll(); // still queued: nothing new to write

    codeartsFor(form).reportsRun(RUN_ID, "running");
    githubApi().updatesCheck(900, (body) => expect(body.status).toBe("in_progress"));
    await t.poll();

    codeartsFor(form).reportsRun(RUN_ID, "completed");
    githubApi().updatesCheck(900, (body) => expect(body).toMatchObject({ status: "completed", conclusion: "success" }));
    await t.poll();
    expectNoSecrets(t);
  });

  it("/cancel takes a queued run out of the queue; the check concludes cancelled when CodeArts confirms", async () => {
    const t = await prWithRun("queued");
    commandIsAllowed().reacts(COMMENT_ID);
    codeartsFor(form).reportsRun(RUN_ID, "running", { status: "QUEUED" }).cancelsQueuing(RUN_ID, QUEUE_ID);
    await t.receive("issue_comment", prCommentPayload("/cancel"));

    codeartsFor(form).reportsRun(RUN_ID, "running", { status: "CANCELED" });
    githubApi().updatesCheck(900, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "cancelled", output: { title: "Cancelled by @Codertocat" } });
    });
    expect(await t.soon()).toBeGreaterThan(0);
    expectNoSecrets(t);
  });

  it("a failure shows the failed job and the masked log tail; /retry re-runs the same CodeArts run", async () => {
    const t = await prWithRun("started");
    codeartsFor(form)
      .reportsRun(RUN_ID, "failed")
      .reportsRun(RUN_ID, "failed")
      .hasStepLog(RUN_ID, FAILED_JOB_ID, FAILED_STEP_ID, [
        "[INFO] step begin: [1/1]-[Deploy]\n",
        `[INFO] login with ${secrets[0]} and ${secrets[1]}\n[ERROR] deploy failed: exit code 1\n`,
      ]);
    githubApi().updatesCheck(900, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "1 job failed" } });
      expect(body.output!.summary).toContain("| `Deploy` | Deploy › Deploy job | ❌ failure (`FAILED`) |");
      expect(body.output!.summary).toContain("#### Last lines of `Deploy` (Deploy › Deploy job)\n\n`FAILED`: deploy failed");
      expect(body.output!.summary).toContain("[INFO] login with *** and ***\n[ERROR] deploy failed: exit code 1");
    });
    await t.poll();

    commandIsAllowed()
      .createsCheck(901, (body) => {
        expect(body).toMatchObject({ name: "pipeline-relay/backend", head_sha: HEAD, status: "queued" });
        expect(body.output!.summary).toContain(`Retry of attempt 1: CodeArts Pipeline re-ran the failed part of run ${RUN_ID}.`);
      })
      .reacts(COMMENT_ID);
    codeartsFor(form).retries(RUN_ID);
    await t.receive("issue_comment", prCommentPayload("/retry"));

    codeartsFor(form).reportsRun(RUN_ID, "completed");
    githubApi().updatesCheck(901, (body) => expect(body).toMatchObject({ status: "completed", conclusion: "success" }));
    await t.poll();
    const runs = await t.store.runsForCommit("Codertocat", "Hello-World", HEAD);
    expect(runs.map((r) => [r.attempt, r.vendorRunId, r.state])).toEqual([
      [1, RUN_ID, "failure"],
      [2, RUN_ID, "success"],
    ]);
    expectNoSecrets(t);
  });
});
