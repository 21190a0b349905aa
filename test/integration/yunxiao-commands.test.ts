import { githubApi } from "../helpers/github-api.js";
import { createTestRelay, type TestRelay } from "../helpers/relay.js";
import { prCommentPayload, pullRequestPayload } from "../helpers/webhooks.js";
import { FLOW_ENV, FLOW_OPERATOR_YAML, flowRepoConfig, flowRun, yunxiaoApi, type FlowEdition } from "../helpers/yunxiao-api.js";

const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const COMMENT_ID = 492700400;
const RUN = 90;

/** A PR whose `build` pipeline runs as Flow run 90 on the given edition's connection, optionally already failed. */
async function prWithFlowRun(edition: FlowEdition, failed = false): Promise<TestRelay> {
  const t = await createTestRelay({ operatorYaml: FLOW_OPERATOR_YAML, env: FLOW_ENV });
  githubApi().hasConfig(flowRepoConfig(`flow-${edition}`)).headCommit(HEAD).createsCheck(900);
  yunxiaoApi({ edition }).startsRun(RUN);
  await t.receive("pull_request", pullRequestPayload("opened"));
  if (failed) {
    yunxiaoApi({ edition }).reportsRun(RUN, flowRun("fail", RUN)).reportsRun(RUN, flowRun("fail", RUN)).hasJobLog(RUN, 21213, "boom");
    githubApi().updatesCheck(900, (body) => expect(body.conclusion).toBe("failure"));
    await t.poll();
  }
  return t;
}

function commentAccepted(edition: FlowEdition) {
  return githubApi().permission("Codertocat", "write").pullRequest(2, { sha: HEAD }).hasConfig(flowRepoConfig(`flow-${edition}`));
}

/** Flow confirms the stop; the check ends cancelled on the next poll (due at once after a /cancel). */
async function confirmsCancelled(t: TestRelay, edition: FlowEdition, poll = () => t.soon()) {
  yunxiaoApi({ edition }).reportsRun(RUN, flowRun("running", RUN, "CANCELED"));
  githubApi().updatesCheck(900, (body) => {
    expect(body).toMatchObject({ status: "completed", conclusion: "cancelled", output: { title: "Cancelled by @Codertocat" } });
  });
  expect(await poll()).toBeGreaterThan(0);
}

/** The running example with a second job running in parallel in the deploy stage. */
const twoRunningJobs = () =>
  flowRun("running", RUN, undefined, {
    adjust: (run) => run.stages[1].stageInfo.jobs.push({ id: 21214, name: "镜像构建", status: "RUNNING", startTime: 1590730461000 }),
  });

describe("/cancel and /retry on Yunxiao Flow", () => {
  it("/cancel (central, stop: run) stops the whole run with UpdatePipelineRun", async () => {
    const t = await prWithFlowRun("central");
    commentAccepted("central").reacts(COMMENT_ID);
    yunxiaoApi().stopsRun(RUN);
    await t.receive("issue_comment", prCommentPayload("/cancel"));
    await confirmsCancelled(t, "central");
  });

  it("/cancel falls back to stopping the running jobs when Flow refuses the run-level stop", async () => {
    const t = await prWithFlowRun("central");
    commentAccepted("central").reacts(COMMENT_ID);
    yunxiaoApi().refusesRunStop(RUN, 404).reportsRun(RUN, twoRunningJobs()).stopsJob(RUN, 21213).stopsJob(RUN, 21214);
    await t.receive("issue_comment", prCommentPayload("/cancel"));
    expect(t.logs.filter((line) => line.includes("Flow refused the run-level stop"))).toHaveLength(1);
    await confirmsCancelled(t, "central");
  });

  it("/cancel (region, stop: jobs) stops every running job and never tries the run-level stop", async () => {
    const t = await prWithFlowRun("region");
    commentAccepted("region").reacts(COMMENT_ID);
    yunxiaoApi({ edition: "region" }).reportsRun(RUN, twoRunningJobs()).stopsJob(RUN, 21213).stopsJob(RUN, 21214);
    await t.receive("issue_comment", prCommentPayload("/cancel"));

    // Stopping is asked for, not confirmed: the check stays open while Flow still reports RUNNING.
    yunxiaoApi({ edition: "region" }).reportsRun(RUN, flowRun("running", RUN));
    githubApi().updatesCheck(900, (body) => expect(body).toMatchObject({ status: "in_progress" }));
    expect(await t.soon()).toBeGreaterThan(0);
    await confirmsCancelled(t, "region", () => t.poll());
  });

  it("/cancel shows Flow's refusal on the check and to the commenter when a job stop is answered false; the run keeps being tracked", async () => {
    const t = await prWithFlowRun("region");
    yunxiaoApi({ edition: "region" }).reportsRun(RUN, flowRun("running", RUN)).stopsJob(RUN, 21213, false);
    commentAccepted("region").reacts(COMMENT_ID);
    githubApi().replies(2, (body) => expect(body).toContain('@Codertocat `/cancel` failed: yunxiao cancel failed: Flow answered false to stopping job "主机部署" (id 21213) of run 90'));
    yunxiaoApi({ edition: "region" }).reportsRun(RUN, flowRun("running", RUN));
    const refused = 'Cancelling failed: yunxiao cancel failed: Flow answered false to stopping job "主机部署" (id 21213) of run 90';
    githubApi().updatesCheck(900, (body) => expect(body).toMatchObject({ status: "queued", output: { summary: expect.stringContaining(refused) } }));
    githubApi().updatesCheck(900, (body) => {
      expect(body.status).toBe("in_progress");
      expect(body.output!.summary).toContain('Cancelling failed: yunxiao cancel failed: Flow answered false to stopping job "主机部署" (id 21213) of run 90');
    });
    await t.receive("issue_comment", prCommentPayload("/cancel"));
    expect((await t.store.getRun(1))!).toMatchObject({ state: "running", cancelRequested: false });
  });

  it("/retry re-runs the failed jobs of the same Flow run and waits until Flow has picked the retry up", async () => {
    const t = await prWithFlowRun("central", true);
    commentAccepted("central");
    yunxiaoApi().reportsRun(RUN, flowRun("fail", RUN)).retriesJob(RUN, 21213);
    githubApi()
      .createsCheck(901, (body) => {
        expect(body).toMatchObject({ status: "queued", external_id: "2" });
        expect(body.output!.summary).toContain("Retry of attempt 1: Yunxiao Flow re-ran the failed part of run 90.");
      })
      .reacts(COMMENT_ID);
    await t.receive("issue_comment", prCommentPayload("/retry"));

    // Flow still shows the old failure of the retried job: the new attempt must not end on it.
    yunxiaoApi().reportsRun(RUN, flowRun("fail", RUN));
    await t.poll();

    yunxiaoApi().reportsRun(RUN, flowRun("running", RUN));
    githubApi().updatesCheck(901, (body) => expect(body.status).toBe("in_progress"));
    await t.poll();

    yunxiaoApi().reportsRun(RUN, flowRun("success", RUN));
    githubApi().updatesCheck(901, (body) => expect(body).toMatchObject({ status: "completed", conclusion: "success" }));
    await t.poll();

    const runs = await t.store.runsForCommit("Codertocat", "Hello-World", HEAD);
    expect(runs.map((r) => [r.attempt, r.vendorRunId, r.state])).toEqual([
      [1, "90", "failure"],
      [2, "90", "success"],
    ]);
  });

  it("/retry starts a new Flow run when Flow refuses to retry the failed job, and says so", async () => {
    const t = await prWithFlowRun("region", true);
    commentAccepted("region");
    yunxiaoApi({ edition: "region" })
      .reportsRun(RUN, flowRun("fail", RUN))
      .refusesJobRetry(RUN, 21213)
      .startsRun(91, (body) => expect(JSON.parse(body.params)).toMatchObject({ runningBranchs: { "https://github.com/Codertocat/Hello-World.git": "changes" } }));
    githubApi()
      .createsCheck(902, (body) => {
        expect(body.details_url).toBe("https://devops.example.com/flow/pipelines/3184679/builds/91");
        expect(body.output!.summary).toContain("Retry of attempt 1: Yunxiao Flow started a new run.");
      })
      .reacts(COMMENT_ID);
    await t.receive("issue_comment", prCommentPayload("/retry"));
    const runs = await t.store.runsForCommit("Codertocat", "Hello-World", HEAD);
    expect(runs.map((r) => [r.attempt, r.vendorRunId])).toEqual([
      [1, "90"],
      [2, "91"],
    ]);
  });

  it("/retry after a cancelled run starts a new run without asking Flow to retry jobs", async () => {
    const t = await prWithFlowRun("central");
    commentAccepted("central").reacts(COMMENT_ID);
    yunxiaoApi().stopsRun(RUN);
    await t.receive("issue_comment", prCommentPayload("/cancel"));
    await confirmsCancelled(t, "central");

    commentAccepted("central");
    yunxiaoApi().reportsRun(RUN, flowRun("running", RUN, "CANCELED")).startsRun(92);
    githubApi().createsCheck(903, (body) => expect(body.output!.summary).toContain("Yunxiao Flow started a new run.")).reacts(COMMENT_ID);
    await t.receive("issue_comment", prCommentPayload("/retry"));
  });
});
