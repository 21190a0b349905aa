import { configFixture } from "../helpers/fixtures.js";
import { githubApi } from "../helpers/github-api.js";
import { gitlabApi } from "../helpers/gitlab-api.js";
import { createTestRelay } from "../helpers/relay.js";
import { pullRequestPayload, pushPayload } from "../helpers/webhooks.js";

const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const NEXT = "0000000000000000000000000000000000000abc";

describe("pull_request → GitLab", () => {
  it("opened: runs the PR's head branch with the PR variables; synchronize: runs the new head", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).headCommit(HEAD).createsCheck(601, (body) => expect(body).toMatchObject({ head_sha: HEAD, status: "queued" }));
    gitlabApi().createsPipeline(70, HEAD, (body) => {
      expect(body.ref).toBe("changes");
      expect(body.variables).toEqual(
        expect.arrayContaining([
          { key: "RELAY_PR_NUMBER", value: "2", variable_type: "env_var" },
          { key: "RELAY_PR_HEAD_REF", value: "changes", variable_type: "env_var" },
          { key: "RELAY_PR_BASE_REF", value: "master", variable_type: "env_var" },
          { key: "RELAY_EVENT", value: "pull_request", variable_type: "env_var" },
        ]),
      );
    });
    await t.receive("pull_request", pullRequestPayload("opened"));

    githubApi().hasConfig(configFixture("gitlab")).headCommit(NEXT).createsCheck(602, (body) => expect(body.head_sha).toBe(NEXT));
    gitlabApi().createsPipeline(71, NEXT).cancels(70); // the new head supersedes the old run, after it started
    await t.receive("pull_request", pullRequestPayload("synchronize", (p) => (p.pull_request.head.sha = NEXT)));

    const runs = await t.store.runsForCommit("Codertocat", "Hello-World", NEXT);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ prNumber: 2, vendorRunId: "71", state: "queued" });

    gitlabApi().reportsPipeline(70, "canceled", HEAD);
    githubApi().updatesCheck(601, (body) => expect(body).toMatchObject({ conclusion: "cancelled", output: { title: "Superseded by 0000000" } }));
    await t.soon();
  });

  it("draft and closed pull requests start nothing", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab"));
    await t.receive("pull_request", pullRequestPayload("converted_to_draft"));
    await t.receive("pull_request", pullRequestPayload("closed"));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", HEAD)).toEqual([]);
  });

  it("a push and a pull_request for the same commit trigger each pipeline once", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).headCommit(HEAD).createsCheck(603);
    gitlabApi().createsPipeline(72, HEAD);
    await t.receive("pull_request", pullRequestPayload("opened"));

    githubApi().hasConfig(configFixture("gitlab"));
    await t.receive("push", pushPayload({ after: HEAD }));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", HEAD)).toHaveLength(1);
  });

  it("fetches the PR's changed files only when a pipeline filters on paths", async () => {
    const t = await createTestRelay();
    const config = configFixture("gitlab").replace("pull_request: { branches: [master] }", "pull_request: { branches: [master], paths: ['docs/**'] }");
    githubApi().hasConfig(config).pullRequestFiles(2, ["src/app.ts"]);
    await t.receive("pull_request", pullRequestPayload("opened"));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", HEAD)).toEqual([]);
  });
});
