import { githubApi, githubRequests } from "../helpers/github-api.js";
import { createTestRelay } from "../helpers/relay.js";
import { pullRequestPayload, pushPayload } from "../helpers/webhooks.js";
import { FLOW_ENV, FLOW_OPERATOR_YAML, FLOW_PIPELINE, FLOW_TOKEN, flowRepoConfig, flowRun, yunxiaoApi } from "../helpers/yunxiao-api.js";

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const MOVED = "9f2c1e7d5b3a4c6e8f0a1b2c3d4e5f6a7b8c9d0e";
const CLONE_URL = "https://github.com/Codertocat/Hello-World.git";

const relay = () => createTestRelay({ operatorYaml: FLOW_OPERATOR_YAML, env: FLOW_ENV });

describe("GitHub events → Yunxiao Flow runs", () => {
  it("push (central): sends the branch, variables and comment as a params string and reports the run to completion", async () => {
    const t = await relay();
    githubApi()
      .hasConfig(flowRepoConfig())
      .createsCheck(801, (body) =>
        expect(body).toMatchObject({
          name: "pipeline-relay/build",
          head_sha: SHA,
          status: "queued",
          external_id: "1",
          details_url: `https://flow.aliyun.com/pipelines/${FLOW_PIPELINE}/builds/101`,
          output: { title: "Queued on Yunxiao Flow" },
        }),
      );
    yunxiaoApi().startsRun(101, (body) =>
      expect(body).toEqual({
        params:
          `{"runningBranchs":{"${CLONE_URL}":"master"},` +
          `"envs":{"DEPLOY_ENV":"staging","RELAY_SHA":"${SHA}","RELAY_REF":"master","RELAY_REF_TYPE":"branch",` +
          `"RELAY_REPOSITORY":"Codertocat/Hello-World","RELAY_REPOSITORY_URL":"${CLONE_URL}","RELAY_EVENT":"push",` +
          `"RELAY_PIPELINE":"build","RELAY_RUN_ID":"1"},` +
          `"comment":"GitHub Codertocat/Hello-World@6113728 via pipeline-relay"}`,
      }),
    );
    await t.receive("push", pushPayload());

    yunxiaoApi().reportsRun(101, flowRun("running", 101, undefined, { repo: CLONE_URL, commit: SHA }));
    githubApi().updatesCheck(801, (body) => {
      expect(body).toMatchObject({ status: "in_progress", output: { title: "Running on Yunxiao Flow" } });
      expect(body.output!.summary).toContain("| Vendor status | `RUNNING` |");
      expect(body.output!.summary).not.toContain("Note:");
    });
    await t.poll();

    yunxiaoApi().reportsRun(101, flowRun("success", 101, undefined, { repo: CLONE_URL, commit: SHA }));
    githubApi().updatesCheck(801, (body) => expect(body).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Passed" } }));
    await t.poll();

    expect(await t.poll()).toBe(0);
    expect(JSON.stringify(githubRequests)).not.toContain(FLOW_TOKEN);
    expect(t.logs.join("\n")).not.toContain(FLOW_TOKEN);
  });

  it("tag push (region): runs the tag under the configured repository URL, without an organization in the path", async () => {
    const t = await relay();
    const codeup = "https://codeup.example.com/acme/hello-world.git";
    githubApi()
      .hasConfig(flowRepoConfig("flow-region", `{ pipeline_id: "${FLOW_PIPELINE}", repository_url: "${codeup}" }`))
      .createsCheck(802, (body) => expect(body.details_url).toBe(`https://devops.example.com/flow/pipelines/${FLOW_PIPELINE}/builds/7`));
    yunxiaoApi({ edition: "region" }).startsRun(7, (body) => {
      const params = JSON.parse(body.params);
      expect(typeof body.params).toBe("string");
      expect(params).toEqual({
        runningTags: { [codeup]: "v1.0.0" },
        envs: expect.objectContaining({ RELAY_REF: "v1.0.0", RELAY_REF_TYPE: "tag", RELAY_SHA: SHA }),
        comment: "GitHub Codertocat/Hello-World@6113728 via pipeline-relay",
      });
    });
    await t.receive("push", pushPayload({ ref: "refs/tags/v1.0.0" }));

    // The handle remembers which source is ours, so the check compares the right commit.
    yunxiaoApi({ edition: "region" }).reportsRun(7, flowRun("running", 7, undefined, { repo: codeup, commit: SHA }));
    githubApi().updatesCheck(802, (body) => expect(body.output!.summary).not.toContain("Note:"));
    await t.poll();
  });

  it("pull request: runs the head branch with the PR variables and names the PR in the comment", async () => {
    const t = await relay();
    githubApi().hasConfig(flowRepoConfig()).headCommit(HEAD).createsCheck(803, (body) => expect(body.head_sha).toBe(HEAD));
    yunxiaoApi().startsRun(102, (body) =>
      expect(body.params).toBe(
        `{"runningBranchs":{"${CLONE_URL}":"changes"},` +
          `"envs":{"DEPLOY_ENV":"staging","RELAY_SHA":"${HEAD}","RELAY_REF":"changes","RELAY_REF_TYPE":"branch",` +
          `"RELAY_REPOSITORY":"Codertocat/Hello-World","RELAY_REPOSITORY_URL":"${CLONE_URL}","RELAY_EVENT":"pull_request",` +
          `"RELAY_PIPELINE":"build","RELAY_RUN_ID":"1","RELAY_PR_NUMBER":"2","RELAY_PR_HEAD_REF":"changes","RELAY_PR_BASE_REF":"master"},` +
          `"comment":"GitHub Codertocat/Hello-World@ec26c3e (PR #2) via pipeline-relay"}`,
      ),
    );
    await t.receive("pull_request", pullRequestPayload("opened"));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", HEAD)).toEqual([expect.objectContaining({ prNumber: 2, vendorRunId: "102", state: "queued" })]);
  });

  it("says on the check run which commit Flow built when the branch moved before the run started", async () => {
    const t = await relay();
    githubApi().hasConfig(flowRepoConfig()).createsCheck(804);
    yunxiaoApi().startsRun(103);
    await t.receive("push", pushPayload());

    const note = `> **Note:** Yunxiao Flow built commit \`${MOVED.slice(0, 12)}\`, not \`${SHA.slice(0, 12)}\``;
    yunxiaoApi().reportsRun(103, flowRun("running", 103, undefined, { repo: CLONE_URL, commit: MOVED }));
    githubApi().updatesCheck(804, (body) => expect(body.output!.summary).toContain(note));
    await t.poll();

    yunxiaoApi().reportsRun(103, flowRun("success", 103, undefined, { repo: CLONE_URL, commit: MOVED }));
    githubApi().updatesCheck(804, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "success" });
      expect(body.output!.summary).toContain(note);
    });
    await t.poll();
  });

  it("region end to end: a failed run shows the failed job and the masked tail of its log", async () => {
    const t = await relay();
    githubApi().hasConfig(flowRepoConfig("flow-region")).createsCheck(805, (body) => expect(body.details_url).toBe(`https://devops.example.com/flow/pipelines/${FLOW_PIPELINE}/builds/8`));
    yunxiaoApi({ edition: "region" }).startsRun(8);
    await t.receive("push", pushPayload());

    const log = [...Array.from({ length: 40 }, (_, i) => `step line ${i + 1}`), `\u001b[31mdeploy failed with token ${FLOW_TOKEN}\u001b[0m`].join("\r\n");
    yunxiaoApi({ edition: "region" }).reportsRun(8, flowRun("fail", 8)).reportsRun(8, flowRun("fail", 8)).hasJobLog(8, 21213, log);
    githubApi().updatesCheck(805, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "1 job failed" } });
      const text = body.output!.summary;
      expect(text).toContain("| `主机部署` | 部署 | ❌ failure (`FAIL`) |");
      expect(text).toContain("#### Last lines of `主机部署` (部署)");
      expect(text).toContain("deploy failed with token ***");
      expect(text).toContain("step line 12");
      expect(text).not.toContain("step line 11\n");
      expect(text).not.toContain("\u001b[");
    });
    await t.poll();
    expect(JSON.stringify(githubRequests)).not.toContain(FLOW_TOKEN);
  });
});
