import { githubApi, githubRequests } from "../helpers/github-api.js";
import {
  CODEARTS_ACCESS_KEY,
  CODEARTS_CANARY,
  CODEARTS_ENV,
  CODEARTS_OPERATOR_YAML,
  CODEARTS_TOKEN,
  codeartsFor,
  codeartsRepoConfig,
  type CredentialForm,
} from "../helpers/codearts-api.js";
import { createTestRelay } from "../helpers/relay.js";
import { pullRequestPayload, pushPayload } from "../helpers/webhooks.js";

const PUSH_SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const PR_HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const RUN_ID = "de6c9098f45a4ac58a6efc9c1b81df82";
const DETAIL_URL = `https://devcloud.cn-north-4.huaweicloud.com/cicd/project/93d8e0553c20411fba06bb112b5b59af/pipeline/detail/794514e0a3184e5db0a4740112deee0f/${RUN_ID}`;

function expectNoSecrets(logs: string[]) {
  const written = JSON.stringify(githubRequests);
  for (const secret of [CODEARTS_CANARY, CODEARTS_TOKEN, CODEARTS_ACCESS_KEY, CODEARTS_ENV.CA_USER]) {
    expect(written).not.toContain(secret);
    expect(logs.join("\n")).not.toContain(secret);
  }
}

describe.each<CredentialForm>(["iam", "aksk"])("CodeArts with %s credentials", (form) => {
  it("push: starts the pipeline on the branch with the variables and reports it to completion", async () => {
    const t = await createTestRelay({ operatorYaml: CODEARTS_OPERATOR_YAML, env: CODEARTS_ENV });
    githubApi()
      .hasConfig(codeartsRepoConfig(form))
      .createsCheck(801, (body) => {
        expect(body).toMatchObject({ name: "pipeline-relay/backend", head_sha: PUSH_SHA, status: "queued", external_id: "1" });
        expect(body.output!.title).toBe("Queued on CodeArts Pipeline");
      });
    codeartsFor(form, { issueToken: true }).startsRun(RUN_ID, (body) => {
      expect(body.sources).toEqual([
        {
          type: "code",
          params: {
            git_type: "github",
            git_url: "https://github.com/Codertocat/Hello-World.git",
            alias: "hello",
            build_params: { build_type: "branch", target_branch: "master", event_type: "Manual" },
          },
        },
      ]);
      expect(body.description).toMatch(/^GitHub Codertocat\/Hello-World@6113728 via pipeline-relay \[RELAY_RUN_ID=\d+\]$/);
      expect(body.variables).toEqual(
        expect.arrayContaining([
          { name: "DEPLOY_ENV", value: "staging" },
          { name: "RELAY_SHA", value: PUSH_SHA },
          { name: "RELAY_REF", value: "master" },
          { name: "RELAY_REPOSITORY", value: "Codertocat/Hello-World" },
          { name: "RELAY_EVENT", value: "push" },
        ]),
      );
    });
    await t.receive("push", pushPayload());

    codeartsFor(form).reportsRun(RUN_ID, "running");
    githubApi().updatesCheck(801, (body) => {
      expect(body).toMatchObject({ status: "in_progress", details_url: DETAIL_URL, output: { title: "Running on CodeArts Pipeline" } });
    });
    await t.poll();

    codeartsFor(form).reportsRun(RUN_ID, "completed", { commitId: PUSH_SHA });
    githubApi().updatesCheck(801, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Passed" } });
      expect(body.output!.summary).toContain("| Vendor status | `COMPLETED` |");
      expect(body.output!.summary).not.toContain("built commit");
    });
    await t.poll();

    expect(await t.poll()).toBe(0);
    expectNoSecrets(t.logs);
  });

  it("pull request: runs the head branch with the PR id in change_request_ids and says when another commit was built", async () => {
    const t = await createTestRelay({ operatorYaml: CODEARTS_OPERATOR_YAML, env: CODEARTS_ENV });
    githubApi().hasConfig(codeartsRepoConfig(form)).headCommit(PR_HEAD).createsCheck(802);
    codeartsFor(form, { issueToken: true }).startsRun(RUN_ID, (body) => {
      expect(body.sources[0].params.build_params).toEqual({ build_type: "branch", target_branch: "changes", event_type: "Manual" });
      expect(body.sources[0].params.change_request_ids).toEqual(["2"]);
      expect(body.description).toMatch(/^GitHub Codertocat\/Hello-World@ec26c3e \(PR #2\) via pipeline-relay \[RELAY_RUN_ID=\d+\]$/);
      expect(body.variables).toEqual(
        expect.arrayContaining([
          { name: "RELAY_PR_NUMBER", value: "2" },
          { name: "RELAY_PR_HEAD_REF", value: "changes" },
          { name: "RELAY_EVENT", value: "pull_request" },
        ]),
      );
    });
    await t.receive("pull_request", pullRequestPayload("opened"));

    codeartsFor(form).reportsRun(RUN_ID, "completed", { commitId: "990ea057751d299f5575aac25bf97e88a60b461e" });
    githubApi().updatesCheck(802, (body) => {
      expect(body.conclusion).toBe("success");
      expect(body.output!.summary).toContain("CodeArts Pipeline built commit `990ea057751d`, not `ec26c3e57ca3`");
    });
    await t.poll();
    const [run] = await t.store.runsForCommit("Codertocat", "Hello-World", PR_HEAD);
    expect(run).toMatchObject({ prNumber: 2, vendorRunId: RUN_ID, state: "success" });
    expectNoSecrets(t.logs);
  });
});
