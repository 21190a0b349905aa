import { vendorFixture } from "../helpers/fixtures.js";
import { githubApi, githubRequests } from "../helpers/github-api.js";
import { createTestRelay } from "../helpers/relay.js";
import { pushPayload } from "../helpers/webhooks.js";
import { FLOW_ENV, FLOW_OPERATOR_YAML, FLOW_TOKEN, flowRepoConfig, flowRun, yunxiaoApi } from "../helpers/yunxiao-api.js";

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const relay = (operatorYaml = FLOW_OPERATOR_YAML) => createTestRelay({ operatorYaml, env: FLOW_ENV });

function expectNoToken(t: { logs: string[] }) {
  expect(JSON.stringify(githubRequests)).not.toContain(FLOW_TOKEN);
  expect(t.logs.join("\n")).not.toContain(FLOW_TOKEN);
}

describe("Yunxiao Flow errors on the check run", () => {
  it("an expired token at start: an error check that tells the operator to renew the token", async () => {
    const t = await relay();
    githubApi()
      .hasConfig(flowRepoConfig())
      .createsCheck(811, (body) => {
        expect(body).toMatchObject({ head_sha: SHA, status: "completed", conclusion: "failure", output: { title: "Could not run on Yunxiao Flow" } });
        const summary = body.output!.summary;
        expect(summary).toContain("**Error:** yunxiao trigger failed: HTTP 401: ExpiredTokenError: Token is expired");
        expect(summary).toContain("create a new one in Yunxiao (personal settings → personal access tokens)");
        expect(summary).toContain("the operator must renew or fix the connection's token");
      });
    yunxiaoApi().answersStart(401, vendorFixture("yunxiao", "error_401.expired_token"));
    await t.receive("push", pushPayload());
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", SHA)).toEqual([expect.objectContaining({ state: "error", vendorRunId: null })]);
    expectNoToken(t);
  });

  it("a token that stays expired while the run is tracked ends the check after the poll-failure limit, with the advice", async () => {
    const t = await relay();
    githubApi().hasConfig(flowRepoConfig("flow-region")).createsCheck(812);
    yunxiaoApi({ edition: "region" }).startsRun(5);
    await t.receive("push", pushPayload());

    // Polls are tolerant: the operator may renew the token in time, so four failed polls change nothing on GitHub.
    yunxiaoApi({ edition: "region" }).failsToReport(5, 401, vendorFixture("yunxiao", "error_401.expired_token"), 5);
    for (let poll = 1; poll < 5; poll += 1) await t.poll();
    expect((await t.store.getRun(1))!).toMatchObject({ state: "queued", failures: 4 });
    githubApi().updatesCheck(812, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "failure" });
      expect(body.output!.summary).toContain("5 polls in a row failed; the last: yunxiao getRun failed: HTTP 401: ExpiredTokenError");
      expect(body.output!.summary).toContain("renew");
    });
    await t.poll();
    expectNoToken(t);
  });

  it("a 429 at start delays the run (visible on the check) and it starts on the next attempt; 429s while polling are retried", async () => {
    const t = await relay();
    githubApi()
      .hasConfig(flowRepoConfig())
      .createsCheck(813, (body) => {
        expect(body.status).toBe("queued");
        expect(body.output!.title).toMatch(/^Waiting for Yunxiao Flow: HTTP 429; next attempt \d\d:\d\d UTC$/);
      });
    yunxiaoApi().answersStart(429, vendorFixture("yunxiao", "error_429"), 1, { "retry-after": "1" });
    await t.receive("push", pushPayload());
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", SHA)).toEqual([expect.objectContaining({ state: "pending", failures: 1, vendorRunId: null })]);

    yunxiaoApi().startsRun(104);
    githubApi().updatesCheck(813, (body) => expect(body.output!.title).toBe("Queued on Yunxiao Flow"));
    await t.poll();

    yunxiaoApi().failsToReport(104, 429, vendorFixture("yunxiao", "error_429"), 2).reportsRun(104, flowRun("running", 104));
    githubApi().updatesCheck(813, (body) => expect(body.status).toBe("in_progress"));
    await t.poll();
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", SHA)).toEqual([expect.objectContaining({ state: "running", vendorRunId: "104" })]);
  });

  it("polling that stays rate-limited waits for the next poll instead of failing the run", async () => {
    const t = await relay();
    githubApi().hasConfig(flowRepoConfig()).createsCheck(814);
    yunxiaoApi().startsRun(105);
    await t.receive("push", pushPayload());

    yunxiaoApi().failsToReport(105, 429, vendorFixture("yunxiao", "error_429"), 3);
    await t.poll();
    expect(t.logs.some((line) => line.includes("polling failed; will try again") && line.includes("TooManyRequests"))).toBe(true);

    yunxiaoApi().reportsRun(105, flowRun("success", 105));
    githubApi().updatesCheck(814, (body) => expect(body.conclusion).toBe("success"));
    await t.poll();
  });

  it("a connection whose fields contradict each other stops start-up with the field and the problem", async () => {
    const broken = FLOW_OPERATOR_YAML.replace("    organization_id: 5ebbc0228123212b59aaaaa\n", "");
    await expect(relay(broken)).rejects.toThrow("relay.yml: connections.flow-central: organization_id is required for edition: central");
  });
});
