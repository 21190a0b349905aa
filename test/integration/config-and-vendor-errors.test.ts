import { configFixture, gitlabFixture } from "../helpers/fixtures.js";
import { githubApi, githubRequests } from "../helpers/github-api.js";
import { GITLAB_URL, gitlabApi } from "../helpers/gitlab-api.js";
import { CANARY_TOKEN, createTestRelay } from "../helpers/relay.js";
import { pushPayload } from "../helpers/webhooks.js";

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

describe("configuration problems reach the maintainers", () => {
  it("an invalid .github/pipelines.yml fails the pipeline-relay/config check with a path | problem table", async () => {
    const t = await createTestRelay();
    const broken = configFixture("gitlab").replace("timeout_minutes: 30", "timeout_minutes: -1\n    colour: red").replace("connection: corp-gitlab", "connection: other-gitlab");
    githubApi().hasConfig(broken).listsNoChecks().createsCheck(900, (body) => {
      expect(body).toMatchObject({ name: "pipeline-relay/config", head_sha: SHA, status: "completed", conclusion: "failure", external_id: "pipeline-relay:config" });
      // Schema problems and the connection check come in one pass.
      expect(body.output!.title).toBe(".github/pipelines.yml has 3 problems");
      expect(body.output!.summary).toContain('| `pipelines[0].connection` | connection "other-gitlab" may not be used by Codertocat/Hello-World;');
      expect(body.output!.summary).toContain("| path | problem |");
      expect(body.output!.summary).toContain('| `pipelines[0]` | Unrecognized key: "colour" |');
      expect(body.output!.summary).toContain("| `pipelines[0].timeout_minutes` |");
    });
    await t.receive("push", pushPayload());
  });

  it("a connection the repository may not use is a config error", async () => {
    const t = await createTestRelay();
    githubApi()
      .hasConfig(configFixture("gitlab").replace("connection: corp-gitlab", "connection: other-gitlab"))
      .listsNoChecks().createsCheck(901, (body) => expect(body.output!.summary).toContain('connection "other-gitlab" may not be used by Codertocat/Hello-World'));
    await t.receive("push", pushPayload());
  });

  it("YAML that does not parse is reported too", async () => {
    const t = await createTestRelay();
    githubApi()
      .hasConfig("pipelines: [unclosed")
      .listsNoChecks().createsCheck(902, (body) => expect(body.output!.summary).toContain("| `line 1, column 21` | YAML syntax error: Flow sequence in block collection must be sufficiently indented"));
    await t.receive("push", pushPayload());
  });

  it("a repository without the file is ignored silently", async () => {
    const t = await createTestRelay();
    githubApi().hasNoConfig();
    await t.receive("push", pushPayload());
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", SHA)).toEqual([]);
  });
});

describe("vendor failures", () => {
  it("a GitLab 500 on create is never re-sent blindly: the check waits, GitLab is searched, and with no pipeline found the create is sent again", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(910, (body) => {
      expect(body.status).toBe("queued");
      expect(body.output!.title).toMatch(/^Waiting for GitLab CI: HTTP 500; next attempt \d\d:\d\d UTC$/);
    });
    gitlabApi().failsToCreate(500, { message: "500 Internal Server Error" });
    await t.receive("push", pushPayload());
    expect((await t.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]).toMatchObject({ state: "starting", vendorRunId: null, triggerAttempts: 1 });

    // Another project's pipeline on the ref is not ours: it carries another RELAY_RUN_ID.
    gitlabApi().listsPipelines([{ id: 60, sha: SHA }]).hasVariables(60, { RELAY_RUN_ID: "999" }).createsPipeline(61, SHA);
    githubApi().updatesCheck(910, (body) => expect(body.output!.title).toBe("Queued on GitLab CI"));
    await t.poll();
    expect((await t.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]).toMatchObject({ state: "queued", vendorRunId: "61", triggerAttempts: 2 });
  });

  it("a GitLab 504 after the pipeline was created: the pipeline is found by RELAY_RUN_ID and adopted, not created twice", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(911);
    gitlabApi().failsToCreate(504, "<html><title>504 Gateway Time-out</title></html>");
    await t.receive("push", pushPayload());

    gitlabApi().listsPipelines([{ id: 62, sha: SHA }]).hasVariables(62, { RELAY_RUN_ID: "1", RELAY_SHA: SHA });
    githubApi().updatesCheck(911, (body) => expect(body).toMatchObject({ details_url: `${GITLAB_URL}/acme/backend/-/pipelines/62`, output: { title: "Queued on GitLab CI" } }));
    await t.poll();
    expect((await t.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]).toMatchObject({ state: "queued", vendorRunId: "62", triggerAttempts: 1 });
  });

  it("a GitLab 401 ends the check with the reason and advice, never the token", async () => {
    const t = await createTestRelay();
    githubApi()
      .hasConfig(configFixture("gitlab"))
      .createsCheck(911, (body) => {
        expect(body).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "Could not run on GitLab CI" } });
        expect(body.output!.summary).toContain("**Error:** gitlab trigger failed: HTTP 401: 401 Unauthorized");
        expect(body.output!.summary).toContain("the operator must renew or fix the connection's token");
      });
    gitlabApi().failsToCreate(401, gitlabFixture("error_401"));
    await t.receive("push", pushPayload());
    expect(JSON.stringify(githubRequests)).not.toContain(CANARY_TOKEN);
    expect(t.logs.join("\n")).not.toContain(CANARY_TOKEN);
  });

  it("a GitLab error body that echoes the token is masked", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(912, (body) => expect(body.output!.summary).toContain("token *** is not valid"));
    gitlabApi().failsToCreate(400, { message: `token ${CANARY_TOKEN} is not valid` });
    await t.receive("push", pushPayload());
    expect(JSON.stringify(githubRequests)).not.toContain(CANARY_TOKEN);
    expect(t.logs.join("\n")).not.toContain(CANARY_TOKEN);
  });

  it("keeps polling through a GitLab outage and concludes when it answers again", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(913);
    gitlabApi().createsPipeline(61, SHA);
    await t.receive("push", pushPayload());

    gitlabApi().failsToReport(61, 503, "down").failsToReport(61, 503, "down").failsToReport(61, 503, "down");
    await t.poll();
    gitlabApi().reportsPipeline(61, "failed", SHA).hasFailedJobs(61, [], "");
    githubApi().updatesCheck(913, (body) => expect(body).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "Failed on GitLab CI" } }));
    await t.poll();
  });

  it("a missed test threshold fails a green pipeline", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(914);
    gitlabApi().createsPipeline(61, SHA);
    await t.receive("push", pushPayload());
    gitlabApi().reportsPipeline(61, "success", SHA).hasTestSummary(61, { count: 10, success: 8, failed: 2, skipped: 0, error: 0 });
    githubApi().updatesCheck(914, (body) => {
      expect(body).toMatchObject({ conclusion: "failure", output: { title: "Tests failed the threshold: pass rate 80% is below the threshold of 90%" } });
    });
    await t.poll();
  });

  it("a pipeline without a test report fails the threshold and says why", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(915);
    gitlabApi().createsPipeline(61, SHA);
    await t.receive("push", pushPayload());
    gitlabApi().reportsPipeline(61, "success", SHA).hasTestSummary(61, { count: 0, success: 0, failed: 0, skipped: 0, error: 0 });
    githubApi().updatesCheck(915, (body) => expect(body.output!.title).toContain("no test report was found"));
    await t.poll();
  });

  it("says which commit GitLab built when the branch moved", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(916);
    gitlabApi().createsPipeline(61, "f".repeat(40));
    await t.receive("push", pushPayload());
    gitlabApi().reportsPipeline(61, "running", "f".repeat(40));
    githubApi().updatesCheck(916, (body) => expect(body.output!.summary).toContain("GitLab CI built commit `ffffffffffff`, not `6113728f27ae`"));
    await t.poll();
  });
});
