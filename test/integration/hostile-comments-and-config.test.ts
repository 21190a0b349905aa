import { configFixture } from "../helpers/fixtures.js";
import { githubApi, githubRequests } from "../helpers/github-api.js";
import { gitlabApi } from "../helpers/gitlab-api.js";
import { createTestRelay } from "../helpers/relay.js";
import { prCommentPayload, pullRequestPayload, pushPayload, webhookExample } from "../helpers/webhooks.js";

const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const PUSH_SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const COMMENT_ID = 492700400;
const FORK = "outsider/Hello-World";

const comments = () => githubRequests.filter((request) => request.path.startsWith("issues/"));

describe("one reply per command comment", () => {
  it("twenty /help lines from a non-collaborator get one answer", async () => {
    const t = await createTestRelay();
    githubApi()
      .pullRequest(2, { sha: HEAD })
      .hasConfig(configFixture("gitlab"))
      .replies(2, (body) => {
        expect(body.match(/runs these pipelines for this repository/g)).toHaveLength(1);
        expect(body.startsWith("@outsider")).toBe(true);
      });
    await t.receive("issue_comment", prCommentPayload(Array(20).fill("/help").join("\n"), (p) => (p.comment.user.login = "outsider")));
    expect(comments()).toHaveLength(1);
  });

  it("several refused commands and /help share one reply; a repeated command is answered once", async () => {
    const t = await createTestRelay();
    githubApi()
      .pullRequest(2, { sha: HEAD })
      .hasConfig(configFixture("gitlab"))
      .permission("outsider", "read")
      .permission("outsider", "read")
      .replies(2, (body) => {
        // /retry (three times, once in capitals) and /cancel: two refusals, each said once.
        expect(body.match(/Nothing was run\./g)).toHaveLength(2);
        expect(body).toContain("there is no pipeline named `nope`");
        expect(body).toContain("runs these pipelines for this repository");
      });
    const body = ["/retry", "/retry", "/RETRY", "/cancel", "/run nope", "/help", "/help"].join("\n");
    await t.receive("issue_comment", prCommentPayload(body, (p) => (p.comment.user.login = "outsider")));
    expect(comments()).toHaveLength(1);
  });

  it("a 12,000-command comment gets one reply within GitHub's limit, and at most 10 commands are looked at", async () => {
    const t = await createTestRelay();
    const api = githubApi().pullRequest(2, { sha: HEAD }).hasConfig(configFixture("gitlab"));
    // Each distinct /run names a missing pipeline: answered without a permission check.
    api.replies(2, (reply) => {
      expect(reply.length).toBeLessThanOrEqual(65_536);
      expect(reply).toContain("11990 more different commands were not carried out: at most 10 per comment.");
      expect(reply.match(/there is no pipeline named/g)).toHaveLength(10);
    });
    const body = Array.from({ length: 12_000 }, (_, i) => `/run missing-${i}`).join("\n");
    await t.receive("issue_comment", prCommentPayload(body));
    expect(comments()).toHaveLength(1);
  });
});

describe("names from a repository never reach an object's prototype", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty"])("`connection: %s` is an unknown connection on the config check", async (name) => {
    const t = await createTestRelay();
    githubApi()
      .hasConfig(configFixture("gitlab").replace("connection: corp-gitlab", `connection: "${name}"`))
      .listsNoChecks().createsCheck(1500, (body) => {
        expect(body).toMatchObject({ name: "pipeline-relay/config", conclusion: "failure" });
        expect(body.output!.summary).toContain(`| \`pipelines[0].connection\` | unknown connection "${name}"; this repository may use: corp-gitlab |`);
      });
    await t.receive("push", pushPayload());
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", PUSH_SHA)).toEqual([]);
  });

  it("a /run variable named __proto__ is just a variable, refused unless allowed", async () => {
    const t = await createTestRelay();
    githubApi()
      .pullRequest(2, { sha: HEAD })
      .hasConfig(configFixture("gitlab"))
      .permission("Codertocat", "write")
      .replies(2, (body) => expect(body).toContain("`__proto__` cannot be set from a comment"));
    await t.receive("issue_comment", prCommentPayload("/run backend __proto__=x"));
  });
});

describe("the config check lists every problem at once", () => {
  it("schema problems, a did-you-mean hint and connection problems come together", async () => {
    const t = await createTestRelay();
    const config = configFixture("gitlab").replace("timeout_minutes: 30", "timout_minutes: 30").replace("connection: corp-gitlab", "connection: other-gitlab");
    githubApi()
      .hasConfig(config)
      .listsNoChecks().createsCheck(1510, (body) => {
        expect(body.output!.title).toBe(".github/pipelines.yml has 2 problems");
        expect(body.output!.summary).toContain('| `pipelines[0]` | Unrecognized key: "timout_minutes"; did you mean "timeout_minutes"? |');
        expect(body.output!.summary).toContain('connection "other-gitlab" may not be used by Codertocat/Hello-World');
      });
    await t.receive("push", pushPayload());
  });

  it("a path value that would steer the vendor URL (`project: ..`) is refused before anything is sent", async () => {
    const t = await createTestRelay();
    githubApi()
      .hasConfig(configFixture("gitlab").replace("project: acme/backend", 'project: ".."'))
      .listsNoChecks().createsCheck(1511, (body) => expect(body.output!.summary).toContain("`pipelines[0].gitlab.project`"));
    await t.receive("push", pushPayload());
  });

  it("8,000 problems make a check that lists the first ones and says how many more", async () => {
    const t = await createTestRelay();
    const unknownKeys = Array.from({ length: 8_000 }, (_, i) => `    bogus_key_${i}: 1`).join("\n");
    githubApi()
      .hasConfig(`pipelines:\n  - name: p\n    connection: corp-gitlab\n    gitlab: { project: app }\n    on: {}\n${unknownKeys}\n`)
      .listsNoChecks().createsCheck(1512, (body) => {
        expect(body.output!.title).toBe(".github/pipelines.yml has 8000 problems");
        expect(body.output!.summary.length).toBeLessThanOrEqual(65_535);
        expect(body.output!.summary).toMatch(/\| … \| and \d+ more problems not listed here: fix these first \|/);
      });
    await t.receive("push", pushPayload());
  });
});

describe("a reopened pull request runs again", () => {
  it("closing cancels the run; reopening starts attempt 2 on the same commit", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).headCommit(HEAD).createsCheck(1520);
    gitlabApi().createsPipeline(80, HEAD);
    await t.receive("pull_request", pullRequestPayload("opened"));

    gitlabApi().cancels(80);
    await t.receive("pull_request", pullRequestPayload("closed", (p) => (p.pull_request.merged = false)));
    gitlabApi().reportsPipeline(80, "canceled", HEAD);
    githubApi().updatesCheck(1520, (body) => expect(body.conclusion).toBe("cancelled"));
    await t.poll();

    githubApi()
      .hasConfig(configFixture("gitlab"))
      .headCommit(HEAD)
      .createsCheck(1521, (body) => expect(body).toMatchObject({ name: "pipeline-relay/backend", head_sha: HEAD, status: "queued" }));
    gitlabApi().createsPipeline(81, HEAD);
    await t.receive("pull_request", pullRequestPayload("reopened"));
    const runs = await t.store.runsForCommit("Codertocat", "Hello-World", HEAD);
    expect(runs.map((run) => [run.attempt, run.state, run.vendorRunId])).toEqual([
      [1, "cancelled", "80"],
      [2, "queued", "81"],
    ]);
  });
});

describe("approval is per commit for every path that starts a run", () => {
  const outsiderPr = () => githubApi().pullRequest(2, { sha: HEAD, repo: FORK }, "master", "outsider");

  it.each([
    ["/retry", "`/retry`"],
    ["/run backend", "`/run backend`"],
  ])("a maintainer's %s on an unapproved fork commit runs nothing and says how to approve it", async (command, quoted) => {
    const t = await createTestRelay();
    outsiderPr()
      .hasConfig(configFixture("gitlab"))
      .permission("Codertocat", "write")
      .permission("outsider", "read")
      .replies(2, (body) => {
        expect(body).toContain(`${quoted}: commit \`ec26c3e\` of @outsider's pull request was not approved`);
        expect(body).toContain("comment `/ok-to-test ec26c3e`");
      });
    await t.receive("issue_comment", prCommentPayload(command));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", HEAD)).toEqual([]);
  });

  it("after /ok-to-test for that commit, /retry runs it", async () => {
    const t = await createTestRelay();
    await t.store.addApproval({ owner: "Codertocat", repo: "Hello-World", prNumber: 2, sha: HEAD, approver: "Codertocat", approvedAt: 0 });
    outsiderPr().hasConfig(configFixture("gitlab")).permission("Codertocat", "write").reacts(COMMENT_ID).createsCheck(1530);
    gitlabApi().createsPipeline(90, HEAD);
    await t.receive("issue_comment", prCommentPayload("/retry"));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", HEAD)).toHaveLength(1);
  });

  it("the Re-run button on a commit that is no longer trusted answers on the pull request instead of running", async () => {
    const t = await createTestRelay();
    // The outsider was on trusted_authors when the PR opened; the maintainers removed them since.
    const trusted = `trusted_authors: [outsider]\n${configFixture("gitlab")}`;
    githubApi().hasConfig(trusted).headCommit(HEAD).createsCheck(1540);
    gitlabApi().createsPipeline(91, HEAD);
    await t.receive("pull_request", pullRequestPayload("opened", (p) => {
      p.pull_request.head.repo.full_name = FORK;
      p.pull_request.user.login = "outsider";
    }));
    gitlabApi().reportsPipeline(91, "failed", HEAD).hasFailedJobs(91, [], "");
    githubApi().updatesCheck(1540);
    await t.poll();

    const payload = webhookExample("check_run", (p) => p.action === "rerequested");
    payload.repository = pullRequestPayload("opened").repository;
    payload.check_run.name = "pipeline-relay/backend";
    payload.check_run.head_sha = HEAD;
    payload.sender.login = "Codertocat";
    outsiderPr()
      .hasConfig(configFixture("gitlab"))
      .permission("outsider", "read")
      .replies(2, (body) => expect(body).toContain("@Codertocat `/retry backend`: commit `ec26c3e` of @outsider's pull request was not approved"));
    await t.receive("check_run", payload);
    expect((await t.store.runsForCommit("Codertocat", "Hello-World", HEAD)).map((run) => run.attempt)).toEqual([1]);
  });
});
