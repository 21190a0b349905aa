import { configFixture } from "../helpers/fixtures.js";
import { githubApi } from "../helpers/github-api.js";
import { gitlabApi } from "../helpers/gitlab-api.js";
import { createTestRelay } from "../helpers/relay.js";
import { prCommentPayload, pullRequestPayload } from "../helpers/webhooks.js";

const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const NEXT = "1111111111111111111111111111111111111111";
const COMMENT_ID = 492700400;
const FORK = "outsider/Hello-World";

const fromFork = (action: string, adjust: (p: any) => void = () => {}) =>
  pullRequestPayload(action, (p) => {
    p.pull_request.head.repo.full_name = FORK;
    p.pull_request.user.login = "outsider";
    p.sender.login = "outsider";
    adjust(p);
  });

/** The maintainer Codertocat comments on the outsider's PR. */
const maintainerComment = (body: string) => prCommentPayload(body);

describe("outside contributors need /ok-to-test <sha>", () => {
  it("a fork PR by a non-collaborator starts nothing and shows the approval check", async () => {
    const t = await createTestRelay();
    githubApi()
      .hasConfig(configFixture("gitlab"))
      .permission("outsider", "read")
      .listsNoChecks().createsCheck(1201, (body) => {
        expect(body).toMatchObject({ name: "pipeline-relay/approval", head_sha: HEAD, status: "queued", external_id: "pipeline-relay:approval", output: { title: "Waiting for a maintainer's approval" } });
        expect(body.output!.summary).toContain("`/ok-to-test ec26c3e`");
      });
    await t.receive("pull_request", fromFork("opened"));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", HEAD)).toEqual([]);
  });

  it("/ok-to-test with the wrong sha is refused; with the head sha it approves and starts the pipelines", async () => {
    const t = await createTestRelay();
    const pr = () => githubApi().pullRequest(2, { sha: HEAD, repo: FORK }, "master", "outsider").hasConfig(configFixture("gitlab"));

    pr().permission("Codertocat", "write").replies(2, (body) => expect(body).toContain("the pull request's head is `ec26c3e`, not `deadbeef`"));
    await t.receive("issue_comment", maintainerComment("/ok-to-test deadbeef"));
    expect(await t.store.isApproved("Codertocat", "Hello-World", 2, HEAD)).toBe(false);

    pr().permission("Codertocat", "write").headCommit(HEAD).reacts(COMMENT_ID);
    // The gate shown when the PR was opened is found by its external_id and completed in place, not left queued.
    githubApi()
      .listsChecks(HEAD, [{ id: 1201, externalId: "pipeline-relay:approval", status: "queued" }])
      .updatesCheck(1201, (body) => expect(body).toMatchObject({ conclusion: "success", external_id: "pipeline-relay:approval", output: { title: "Approved by @Codertocat" } }))
      .createsCheck(1203, (body) => expect(body).toMatchObject({ name: "pipeline-relay/backend", status: "queued" }));
    gitlabApi().createsPipeline(95, HEAD);
    await t.receive("issue_comment", maintainerComment("/ok-to-test ec26c3e"));
    expect(await t.store.isApproved("Codertocat", "Hello-World", 2, HEAD)).toBe(true);
  });

  it("an outsider cannot approve their own PR", async () => {
    const t = await createTestRelay();
    githubApi()
      .pullRequest(2, { sha: HEAD, repo: FORK }, "master", "outsider")
      .hasConfig(configFixture("gitlab"))
      .permission("outsider", "read")
      .replies(2, (body) => expect(body).toContain("only people with write access"));
    await t.receive("issue_comment", prCommentPayload("/ok-to-test ec26c3e", (p) => (p.comment.user.login = "outsider")));
  });

  it("a later push by the outsider needs a new approval; a push by a maintainer does not", async () => {
    const t = await createTestRelay();
    await t.store.addApproval({ owner: "Codertocat", repo: "Hello-World", prNumber: 2, sha: HEAD, approver: "Codertocat", approvedAt: 0 });

    githubApi().hasConfig(configFixture("gitlab")).permission("outsider", "read").listsNoChecks().createsCheck(1204, (body) => expect(body.name).toBe("pipeline-relay/approval"));
    await t.receive("pull_request", fromFork("synchronize", (p) => (p.pull_request.head.sha = NEXT)));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", NEXT)).toEqual([]);

    const THIRD = "2222222222222222222222222222222222222222";
    githubApi().hasConfig(configFixture("gitlab")).permission("outsider", "read").permission("Codertocat", "admin").headCommit(THIRD).createsCheck(1205);
    gitlabApi().createsPipeline(96, THIRD);
    await t.receive("pull_request", fromFork("synchronize", (p) => {
      p.pull_request.head.sha = THIRD;
      p.sender.login = "Codertocat";
    }));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", THIRD)).toHaveLength(1);
    // The maintainer's push counts as their approval of that commit, so a later /retry or Re-run of it may run.
    expect(await t.store.isApproved("Codertocat", "Hello-World", 2, THIRD)).toBe(true);
  });

  it("an approved commit runs on later events for the same commit", async () => {
    const t = await createTestRelay();
    await t.store.addApproval({ owner: "Codertocat", repo: "Hello-World", prNumber: 2, sha: HEAD, approver: "Codertocat", approvedAt: 0 });
    githubApi().hasConfig(configFixture("gitlab")).headCommit(HEAD).createsCheck(1206);
    gitlabApi().createsPipeline(97, HEAD);
    await t.receive("pull_request", fromFork("reopened"));
  });

  it.each([
    ["an unlisted bot waits for approval", [], false],
    ["a bot on the repository's trusted_authors list runs", ["dependabot[bot]"], true],
  ])("%s", async (_name, trusted, runs) => {
    const t = await createTestRelay();
    const config = `trusted_authors: ${JSON.stringify(trusted)}\n${configFixture("gitlab")}`;
    const payload = pullRequestPayload("opened", (p) => {
      p.pull_request.user.login = "dependabot[bot]";
      p.pull_request.user.type = "Bot";
    });
    if (runs) {
      githubApi().hasConfig(config).headCommit(HEAD).createsCheck(1207, (body) => expect(body.name).toBe("pipeline-relay/backend"));
      gitlabApi().createsPipeline(98, HEAD);
    } else {
      githubApi().hasConfig(config).listsNoChecks().createsCheck(1207, (body) => expect(body.name).toBe("pipeline-relay/approval"));
    }
    await t.receive("pull_request", payload);
  });
});
