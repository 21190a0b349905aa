import { CANARY_TOKEN, createTestRelay } from "../helpers/relay.js";
import { githubApi, githubRequests } from "../helpers/github-api.js";
import { gitlabApi } from "../helpers/gitlab-api.js";
import { configFixture } from "../helpers/fixtures.js";
import { pushPayload } from "../helpers/webhooks.js";

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

describe("push → GitLab pipeline → check run", () => {
  it("starts the pipeline with the branch and RELAY_* variables and reports it to completion", async () => {
    const t = await createTestRelay();
    githubApi()
      .hasConfig(configFixture("gitlab"))
      .createsCheck(501, (body) => {
        expect(body).toMatchObject({
          name: "pipeline-relay/backend",
          head_sha: SHA,
          status: "queued",
          external_id: "1",
          details_url: "https://gitlab.example.com/acme/backend/-/pipelines/61",
        });
      });
    gitlabApi().createsPipeline(61, SHA, (body) => {
      expect(body.ref).toBe("master");
      expect(body.variables).toEqual(
        expect.arrayContaining([
          { key: "DEPLOY_ENV", value: "staging", variable_type: "env_var" },
          { key: "RELAY_SHA", value: SHA, variable_type: "env_var" },
          { key: "RELAY_REF", value: "master", variable_type: "env_var" },
          { key: "RELAY_REPOSITORY", value: "Codertocat/Hello-World", variable_type: "env_var" },
          { key: "RELAY_EVENT", value: "push", variable_type: "env_var" },
        ]),
      );
    });

    await t.receive("push", pushPayload());

    gitlabApi().reportsPipeline(61, "running", SHA);
    githubApi().updatesCheck(501, (body) => expect(body).toMatchObject({ status: "in_progress", output: { title: "Running on GitLab CI" } }));
    await t.poll();

    gitlabApi().reportsPipeline(61, "running", SHA);
    await t.poll(); // no change: nothing is written to GitHub

    gitlabApi().reportsPipeline(61, "success", SHA).hasTestSummary(61);
    githubApi().updatesCheck(501, (body) => {
      expect(body.status).toBe("completed");
      expect(body.conclusion).toBe("success");
      expect(body.output!.title).toBe("Passed (tests 100%)");
      expect(body.output!.summary).toContain("| 3363 | 3351 | 0 | 0 | 12 | 100% | 90% |");
    });
    await t.poll();

    expect(await t.poll()).toBe(0);
    expect(JSON.stringify(githubRequests)).not.toContain(CANARY_TOKEN);
    expect(t.logs.join("\n")).not.toContain(CANARY_TOKEN);
  });
});
