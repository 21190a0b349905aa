import { githubApi, githubRequests } from "../helpers/github-api.js";
import { CANARY_TOKEN, createTestRelay } from "../helpers/relay.js";
import { pullRequestPayload, pushPayload } from "../helpers/webhooks.js";
import {
  startedCode,
  startedVariables,
  ZADIG_OPERATOR_YAML,
  zadigApi,
  zadigRepoConfig,
  type ZadigApiName,
} from "../helpers/zadig-api.js";

const PUSHED = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const APIS: ZadigApiName[] = ["openapi", "v1.7", "pipeline-v2"];

const TASK_PAGES: Record<ZadigApiName, (id: number) => string | undefined> = {
  openapi: (id) => `https://zadig.example.com/v1/projects/detail/proxy/pipelines/custom/build-deploy/${id}`,
  "v1.7": (id) => `https://zadig.example.com/v1/projects/detail/proxy/pipelines/multi/proxy-workflow-dev/${id}`,
  "pipeline-v2": () => undefined,
};

const relay = () => createTestRelay({ operatorYaml: ZADIG_OPERATOR_YAML, env: { ZADIG_TOKEN: CANARY_TOKEN } });

describe.each(APIS)("GitHub → Zadig (%s)", (api) => {
  it("a push starts a task for the pushed commit on its branch; the check follows it to a pass with tests", async () => {
    const t = await relay();
    githubApi()
      .hasConfig(zadigRepoConfig(api))
      .createsCheck(801, (body) => {
        expect(body).toMatchObject({ name: "pipeline-relay/build", head_sha: PUSHED, status: "queued", output: { title: "Queued on Zadig" } });
        expect(body.details_url).toBe(TASK_PAGES[api](41));
      });
    zadigApi(api, { token: CANARY_TOKEN }).startsTask(41, (body) => {
      expect(startedCode(api, body)).toEqual({ owner: "Codertocat", repo: "Hello-World", branch: "master", pr: 0, commit: PUSHED });
      expect(startedVariables(api, body)).toMatchObject({ DEPLOY_ENV: "staging", RELAY_SHA: PUSHED, RELAY_EVENT: "push", RELAY_REF: "master" });
    });
    await t.receive("push", pushPayload());

    zadigApi(api).reportsTask(41, "running");
    githubApi().updatesCheck(801, (body) => expect(body).toMatchObject({ status: "in_progress", output: { title: "Running on Zadig" } }));
    await t.poll();

    zadigApi(api).reportsTask(41, "passed").hasTests(41, { total: 20, passed: 19, failed: 1, skipped: 0 });
    githubApi().updatesCheck(801, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Passed (tests 95%)" } });
      expect(body.output!.summary).toContain("| 20 | 19 | 1 | 0 | 0 | 95% | 90% |");
    });
    await t.poll();

    expect(await t.poll()).toBe(0);
    expect(JSON.stringify(githubRequests)).not.toContain(CANARY_TOKEN);
    expect(t.logs.join("\n")).not.toContain(CANARY_TOKEN);
  });

  it("a pull request starts a task with the PR number, the base branch and the head commit; a failure is described", async () => {
    const t = await relay();
    githubApi().hasConfig(zadigRepoConfig(api)).headCommit(HEAD).createsCheck(802, (body) => expect(body.head_sha).toBe(HEAD));
    zadigApi(api).startsTask(42, (body) => {
      expect(startedCode(api, body)).toEqual({ owner: "Codertocat", repo: "Hello-World", branch: "master", pr: 2, commit: HEAD });
      expect(startedVariables(api, body)).toMatchObject({ RELAY_PR_NUMBER: "2", RELAY_PR_HEAD_REF: "changes", RELAY_EVENT: "pull_request" });
      if (api === "v1.7") expect(body).toMatchObject({ merge_request_id: "2", commit_id: HEAD });
    });
    await t.receive("pull_request", pullRequestPayload("opened"));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", HEAD)).toMatchObject([{ prNumber: 2, vendorRunId: "42", state: "queued" }]);

    zadigApi(api).reportsTask(42, "failed").hasFailure(42);
    githubApi().updatesCheck(802, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "1 job failed" } });
      const summary = body.output!.summary;
      expect(summary).toContain(api === "openapi" ? "| `build-service1` | build | ❌ failure (`failed`) | 57s |" : "| `buildv2` | buildv2 | ❌ failure (`failed`) | – |");
      if (api === "openapi") expect(summary).toContain("`failed`: build job failed\n\n```\nstep 1\nstep 2\nerror: build failed\n```");
    });
    await t.poll();
  });

  it("a task Zadig refuses to start ends the check as an error that quotes Zadig", async () => {
    const t = await relay();
    githubApi()
      .hasConfig(zadigRepoConfig(api))
      .createsCheck(803, (body) => {
        expect(body).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "Could not run on Zadig" } });
        expect(body.output!.summary).toContain("zadig trigger failed: HTTP 400: 6542: 查询workflow失败: mongo: no documents in result");
      });
    zadigApi(api).failsToStart(400, { code: 6542, description: "mongo: no documents in result", extra: {}, message: "查询workflow失败", type: "error" });
    await t.receive("push", pushPayload());
  });
});

describe("the vendor's own threshold", () => {
  it("a pipeline V2 testing threshold from the definition judges the tests when the repository sets none", async () => {
    const config = `pipelines:
  - name: build
    connection: zadig-v2
    on: { push: { branches: [master] } }
    zadig:
      project: spock-kube
      pipeline: test-pipeline
      codehost_id: 3
      definition:
        type: pipeline-v2
        sub_tasks:
          - { type: build, repo_owner: Codertocat, repo_name: Hello-World, branch: master }
          - { type: testing, product_name: spock-kube, group_name: spock-test, service_name: t, container_name: t, threshold: 90, command: make test, result_path: out }
`;
    const t = await relay();
    githubApi().hasConfig(config).createsCheck(804);
    zadigApi("pipeline-v2").startsTask(44);
    await t.receive("push", pushPayload());

    zadigApi("pipeline-v2").reportsTask(44, "passed").hasTests(44, { total: 10, passed: 8, failed: 2, skipped: 0 });
    githubApi().updatesCheck(804, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "failure" });
      expect(body.output!.title).toBe("Tests failed the threshold: pass rate 80% is below the threshold of 90%");
      expect(body.output!.summary).toContain("| 10 | 8 | 2 | 0 | 0 | 80% | 90% |");
    });
    await t.poll();
  });
});
