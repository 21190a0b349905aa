import nock from "nock";
import { configFixture } from "../helpers/fixtures.js";
import { githubApi } from "../helpers/github-api.js";
import { GITLAB_URL, gitlabApi } from "../helpers/gitlab-api.js";
import { createTestRelay, DEFAULT_OPERATOR_YAML, type TestRelay } from "../helpers/relay.js";
import { startResultsServer } from "../helpers/results-server.js";
import { prCommentPayload, pullRequestPayload } from "../helpers/webhooks.js";

const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const OPERATOR = `${DEFAULT_OPERATOR_YAML}
results:
  public_url: https://relay.example.com
  max_upload_mb: 1
  wait_minutes: 10
  token_grace_minutes: 30
`;

/** A jest-junit report of the `users` suite; `failing` names the tests that fail this time. */
function junit(failing: string[]): string {
  const cases = ["creates a user", "lists users", "deletes a user"].map((name) =>
    failing.includes(name)
      ? `<testcase classname="users" name="${name}" time="0.2"><failure message="timeout of 5000ms exceeded">Error: timeout of 5000ms exceeded</failure></testcase>`
      : `<testcase classname="users" name="${name}" time="0.1"/>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="3" failures="${failing.length}" errors="0" time="0.5">
  <testsuite name="users" errors="0" failures="${failing.length}" skipped="0" timestamp="2026-12-01T19:00:00" time="0.5" tests="3">
    ${cases.join("\n    ")}
  </testsuite>
</testsuites>`;
}

beforeAll(() => nock.enableNetConnect("127.0.0.1"));

describe("flaky tests across attempts of one pipeline on one commit", () => {
  let t: TestRelay;
  let server: Awaited<ReturnType<typeof startResultsServer>>;
  let uploadUrl = "";
  let uploadToken = "";
  const captureUpload = (body: { variables: Array<{ key: string; value: string }> }) => {
    uploadUrl = new URL(body.variables.find((v) => v.key === "RELAY_RESULTS_URL")!.value).pathname;
    uploadToken = body.variables.find((v) => v.key === "RELAY_RESULTS_TOKEN")!.value;
  };
  const upload = async (failing: string[]) => {
    const answer = await fetch(`${server.base}${uploadUrl}`, { method: "POST", headers: { authorization: `Bearer ${uploadToken}`, "content-type": "application/xml" }, body: junit(failing) });
    expect(answer.status).toBe(202);
  };
  const retryComment = (commentBody: string, check: number, expectCheck: (summary: string) => void) => {
    githubApi().permission("Codertocat", "write").pullRequest(2, { sha: HEAD }).hasConfig(configFixture("gitlab"));
    githubApi()
      .createsCheck(check, (body) => expectCheck(body.output!.summary))
      .reacts(492700400);
    return t.receive("issue_comment", prCommentPayload(commentBody));
  };

  beforeEach(async () => {
    t = await createTestRelay({ operatorYaml: OPERATOR });
    server = await startResultsServer(t.relay);
  });
  afterEach(() => server.close());

  it("lists a test that failed in attempt 1 and passed after /retry, counts it, and says so when a later retry fails only on it", async () => {
    githubApi().hasConfig(configFixture("gitlab")).headCommit(HEAD).createsCheck(700);
    gitlabApi().createsPipeline(80, HEAD, captureUpload);
    await t.receive("pull_request", pullRequestPayload("opened"));

    // Attempt 1 fails on "creates a user".
    await upload(["creates a user"]);
    gitlabApi().reportsPipeline(80, "failed", HEAD).hasFailedJobs(80, [{ id: 9, name: "jest", stage: "test" }], "Tests: 1 failed, 2 passed, 3 total");
    githubApi().updatesCheck(700, (body) => {
      expect(body).toMatchObject({ conclusion: "failure", output: { title: "1 job failed · 1 test failed of 3" } });
      expect(body.output!.summary).not.toContain("### Flaky tests");
    });
    await t.poll();

    // /retry: GitLab re-runs pipeline 80 natively (attempt 2); nothing is known to be flaky yet.
    gitlabApi().retries(80);
    await retryComment("/retry", 701, (summary) => {
      expect(summary).toContain("Retry of attempt 1: GitLab CI re-ran the failed part of run 80.");
      expect(summary).not.toContain("known to be flaky");
    });
    await upload([]);
    gitlabApi().reportsPipeline(80, "success", HEAD);
    githubApi().updatesCheck(701, (body) => {
      expect(body).toMatchObject({ conclusion: "success", output: { title: "Passed (tests 100%)" } });
      expect(body.output!.summary).toContain(
        "### Flaky tests\n\n1 test failed in one attempt and passed in another attempt of this pipeline on this commit:\n\n- `users` › **creates a user**: failed in attempt 1, passed in attempt 2",
      );
    });
    await t.poll();
    expect(await t.store.flakiestTests("Codertocat", "Hello-World", 10)).toEqual([
      { pipeline: "backend", suite: "users", name: "creates a user", commits: 1, lastSeenAt: expect.any(Number) },
    ]);

    // A forced third attempt fails on the same test only; its /retry says that test is known to be flaky.
    gitlabApi().createsPipeline(81, HEAD, captureUpload);
    await retryComment("/retry backend", 702, (summary) => expect(summary).not.toContain("known to be flaky"));
    await upload(["creates a user"]);
    gitlabApi().reportsPipeline(81, "failed", HEAD).hasFailedJobs(81, [{ id: 10, name: "jest", stage: "test" }], "Tests: 1 failed");
    githubApi().updatesCheck(702, (body) => {
      expect(body.output!.summary).toContain("- `users` › **creates a user**: failed in attempt 1, 3, passed in attempt 2");
    });
    await t.poll();

    gitlabApi().retries(81);
    await retryComment("/retry", 703, (summary) => {
      expect(summary).toContain("Retry of attempt 3: GitLab CI re-ran the failed part of run 81. Attempt 3 failed only on tests known to be flaky here (`creates a user`).");
    });
  });

  it("without uploads, tells a flaky test from GitLab's test reports of the two attempts", async () => {
    githubApi().hasConfig(configFixture("gitlab")).headCommit(HEAD).createsCheck(700);
    gitlabApi().createsPipeline(80, HEAD, captureUpload);
    await t.receive("pull_request", pullRequestPayload("opened"));

    gitlabApi()
      .reportsPipeline(80, "failed", HEAD)
      .hasTestReport(80, [{ name: "rspec", cases: [["Users creates a user", "failed"], ["Users lists users", "success"]] }]);
    // The job list without hasFailedJobs: its optional "no test report" answer would be left for attempt 2.
    nock(GITLAB_URL).get("/api/v4/projects/acme%2Fbackend/pipelines/80/jobs").query({ per_page: "100" }).reply(200, []);
    githubApi().updatesCheck(700, (body) => expect(body.output!.summary).not.toContain("### Flaky tests"));
    await t.poll();

    gitlabApi().retries(80);
    await retryComment("/retry", 701, (summary) => expect(summary).toContain("Retry of attempt 1"));
    gitlabApi()
      .reportsPipeline(80, "success", HEAD)
      .hasTestReport(80, [{ name: "rspec", cases: [["Users creates a user", "success"], ["Users lists users", "success"]] }])
      .hasTestSummary(80);
    githubApi().updatesCheck(701, (body) => {
      expect(body).toMatchObject({ conclusion: "success" });
      expect(body.output!.summary).toContain("- `rspec` › **Users creates a user**: failed in attempt 1, passed in attempt 2");
    });
    await t.poll();
    expect((await t.store.flakiestTests("Codertocat", "Hello-World", 10)).map((test) => test.name)).toEqual(["Users creates a user"]);
  });
});
