import { configFixture } from "../helpers/fixtures.js";
import { githubApi } from "../helpers/github-api.js";
import { gitlabApi } from "../helpers/gitlab-api.js";
import { createTestRelay } from "../helpers/relay.js";
import { prCommentPayload, pullRequestPayload, pushPayload } from "../helpers/webhooks.js";

const PUSH_SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const REQUIRED = configFixture("gitlab").replace("timeout_minutes: 30", "timeout_minutes: 30\n    report_when_skipped: true");

describe("skip markers", () => {
  it("[skip ci] on a push: no run, the pipeline's check concludes neutral with the reason", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).listsNoChecks(PUSH_SHA).createsCheck(1301, (body) => {
      expect(body).toMatchObject({
        name: "pipeline-relay/backend", head_sha: PUSH_SHA, status: "completed", conclusion: "neutral", external_id: "pipeline-relay:skipped",
        output: { title: "Skipped: the head commit says `[skip ci]`" },
      });
    });
    await t.receive("push", pushPayload({ message: "Fix typo [skip ci]" }));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", PUSH_SHA)).toEqual([]);
  });

  it("the same push handled again (after a crash or a failed GitHub write) updates its skipped check instead of adding one", async () => {
    const t = await createTestRelay();
    githubApi()
      .hasConfig(configFixture("gitlab"))
      .listsChecks(PUSH_SHA, [{ id: 1309, externalId: "pipeline-relay:skipped", status: "completed" }])
      .updatesCheck(1309, (body) => expect(body).toMatchObject({ conclusion: "neutral", output: { title: "Skipped: the head commit says `[skip ci]`" } }));
    await t.receive("push", pushPayload({ message: "Fix typo [skip ci]" }));
  });

  it("skip-checks: true on a PR's head commit: neutral, and /run still works", async () => {
    const t = await createTestRelay();
    githubApi()
      .hasConfig(configFixture("gitlab"))
      .headCommit(HEAD, "Docs only\n\nskip-checks: true")
      .listsNoChecks().createsCheck(1302, (body) => expect(body).toMatchObject({ conclusion: "neutral", output: { title: "Skipped: the head commit says `skip-checks: true`" } }));
    await t.receive("pull_request", pullRequestPayload("opened"));

    githubApi().pullRequest(2, { sha: HEAD }).hasConfig(configFixture("gitlab")).permission("Codertocat", "write").createsCheck(1303).reacts(492700400);
    gitlabApi().createsPipeline(100, HEAD);
    await t.receive("issue_comment", prCommentPayload("/run backend"));
  });
});

describe("filters on required pipelines", () => {
  it("a pipeline left out by paths reports neutral when report_when_skipped is set", async () => {
    const t = await createTestRelay();
    const config = REQUIRED.replace("push: { branches: [master, \"release/*\"], tags: [\"v*\"] }", "push: { branches: [master], paths: [\"src/**\"] }");
    githubApi().hasConfig(config).listsNoChecks().createsCheck(1304, (body) => expect(body).toMatchObject({ conclusion: "neutral", output: { title: "Skipped: no changed file matches `paths`" } }));
    await t.receive("push", pushPayload({ files: ["README.md"] }));
  });

  it("labels: a PR without the label is skipped (neutral); labelling it starts the pipeline", async () => {
    const t = await createTestRelay();
    const config = REQUIRED.replace("pull_request: { branches: [master] }", "pull_request: { branches: [master], labels: [run-ci], skip_labels: [wip] }");
    githubApi().hasConfig(config).headCommit(HEAD).listsNoChecks().createsCheck(1305, (body) => expect(body.output!.title).toBe("Skipped: needs one of the labels `run-ci`"));
    await t.receive("pull_request", pullRequestPayload("opened", (p) => (p.pull_request.labels = [])));

    githubApi().hasConfig(config).headCommit(HEAD).createsCheck(1306, (body) => expect(body.status).toBe("queued"));
    gitlabApi().createsPipeline(101, HEAD);
    await t.receive("pull_request", pullRequestPayload("labeled", (p) => (p.pull_request.labels = [{ name: "run-ci" }])));
  });

  it("a skip label keeps the pipeline from running on label changes, silently", async () => {
    const t = await createTestRelay();
    const config = REQUIRED.replace("pull_request: { branches: [master] }", "pull_request: { branches: [master], skip_labels: [wip] }");
    githubApi().hasConfig(config);
    await t.receive("pull_request", pullRequestPayload("labeled", (p) => (p.pull_request.labels = [{ name: "wip" }])));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", HEAD)).toEqual([]);
  });
});

describe("superseded runs", () => {
  it("a new commit on one PR never cancels another PR's run", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).headCommit(HEAD).createsCheck(1310);
    gitlabApi().createsPipeline(110, HEAD);
    await t.receive("pull_request", pullRequestPayload("opened"));

    const OTHER = "3333333333333333333333333333333333333333";
    githubApi().hasConfig(configFixture("gitlab")).headCommit(OTHER).createsCheck(1311);
    gitlabApi().createsPipeline(111, OTHER); // no cancel of 110 is mocked: a cancel would fail the test
    await t.receive("pull_request", pullRequestPayload("synchronize", (p) => {
      p.pull_request.number = 3;
      p.pull_request.head.sha = OTHER;
    }));
    expect((await t.store.runsForCommit("Codertocat", "Hello-World", HEAD))[0]!.state).toBe("queued");
  });

  it("a new push to a branch supersedes the branch's older push run, unless cancel_in_progress is false", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(1312);
    gitlabApi().createsPipeline(112, PUSH_SHA);
    await t.receive("push", pushPayload());

    const SECOND = "4444444444444444444444444444444444444444";
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(1313);
    gitlabApi().createsPipeline(113, SECOND).cancels(112);
    await t.receive("push", pushPayload({ after: SECOND }));

    const THIRD = "5555555555555555555555555555555555555555";
    githubApi().hasConfig(configFixture("gitlab").replace("timeout_minutes: 30", "timeout_minutes: 30\n    cancel_in_progress: false")).createsCheck(1314);
    gitlabApi().createsPipeline(114, THIRD);
    await t.receive("push", pushPayload({ after: THIRD }));
  });

  it("closing a PR cancels its in-flight runs", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).headCommit(HEAD).createsCheck(1315);
    gitlabApi().createsPipeline(115, HEAD);
    await t.receive("pull_request", pullRequestPayload("opened"));

    gitlabApi().cancels(115);
    await t.receive("pull_request", pullRequestPayload("closed", (p) => (p.pull_request.merged = false)));
    gitlabApi().reportsPipeline(115, "canceled", HEAD);
    githubApi().updatesCheck(1315, (body) => expect(body).toMatchObject({ conclusion: "cancelled", output: { title: "Pull request closed" } }));
    await t.soon();
  });
});

describe("concurrency", () => {
  it("concurrency: 1 holds the second run back with its position and starts it when the first ends", async () => {
    const t = await createTestRelay();
    const config = configFixture("gitlab").replace("timeout_minutes: 30", "timeout_minutes: 30\n    concurrency: 1\n    cancel_in_progress: false");
    githubApi().hasConfig(config).createsCheck(1320);
    gitlabApi().createsPipeline(120, PUSH_SHA);
    await t.receive("push", pushPayload());

    const SECOND = "6666666666666666666666666666666666666666";
    githubApi().hasConfig(config).createsCheck(1321, (body) => expect(body).toMatchObject({ status: "queued", output: { title: "Waiting for a free slot (position 1)" } }));
    await t.receive("push", pushPayload({ after: SECOND }));

    gitlabApi().reportsPipeline(120, "running", PUSH_SHA);
    githubApi().updatesCheck(1320, (body) => expect(body.status).toBe("in_progress"));
    await t.poll(); // still one slot taken: the second waits

    gitlabApi().reportsPipeline(120, "success", PUSH_SHA).hasTestSummary(120);
    githubApi().updatesCheck(1320, (body) => expect(body.conclusion).toBe("success"));
    await t.poll();

    gitlabApi().createsPipeline(121, SECOND);
    githubApi().updatesCheck(1321, (body) => expect(body).toMatchObject({ status: "queued", output: { title: "Queued on GitLab CI" } }));
    await t.poll();
    expect((await t.store.runsForCommit("Codertocat", "Hello-World", SECOND))[0]!.vendorRunId).toBe("121");
  });
});
