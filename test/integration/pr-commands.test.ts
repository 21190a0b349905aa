import { configFixture } from "../helpers/fixtures.js";
import { githubApi } from "../helpers/github-api.js";
import { gitlabApi } from "../helpers/gitlab-api.js";
import { createTestRelay } from "../helpers/relay.js";
import { prCommentPayload } from "../helpers/webhooks.js";

const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const COMMENT_ID = 492700400;
const CONFIG = configFixture("gitlab").replace("tests: { threshold: 90 }", "tests: { threshold: 90 }\n    variables_from_comment: [TARGET, DRY_RUN]");

describe("/run, /help and allowlists", () => {
  it("/run <name> KEY=VALUE starts the pipeline with the allowed variables, quotes kept together", async () => {
    const t = await createTestRelay();
    githubApi().pullRequest(2, { sha: HEAD }).hasConfig(CONFIG).permission("Codertocat", "write").createsCheck(1101).reacts(COMMENT_ID);
    gitlabApi().createsPipeline(90, HEAD, (body) => {
      expect(body.ref).toBe("changes");
      expect(body.variables).toEqual(
        expect.arrayContaining([
          { key: "TARGET", value: "eu west", variable_type: "env_var" },
          { key: "DRY_RUN", value: "1", variable_type: "env_var" },
          { key: "RELAY_EVENT", value: "comment", variable_type: "env_var" },
        ]),
      );
    });
    await t.receive("issue_comment", prCommentPayload('/run backend TARGET="eu west" DRY_RUN=1'));
  });

  it("/run with a variable the pipeline does not allow is refused with the allowed names", async () => {
    const t = await createTestRelay();
    githubApi()
      .pullRequest(2, { sha: HEAD })
      .hasConfig(CONFIG)
      .permission("Codertocat", "write")
      .replies(2, (body) =>
        expect(body).toBe("@Codertocat\n\n`/run backend`: `DEPLOY_ENV` cannot be set from a comment (it allows `TARGET`, `DRY_RUN`; see `variables_from_comment`). Nothing was run."),
      );
    await t.receive("issue_comment", prCommentPayload("/run backend DEPLOY_ENV=prod"));
  });

  it("an outsider's /run is refused and nothing runs", async () => {
    const t = await createTestRelay();
    githubApi()
      .pullRequest(2, { sha: HEAD })
      .hasConfig(CONFIG)
      .permission("Codertocat", "read")
      .replies(2, (body) => expect(body).toContain("only people with write access to Codertocat/Hello-World can run `/run`. Nothing was run."));
    await t.receive("issue_comment", prCommentPayload("/run backend"));
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", HEAD)).toEqual([]);
  });

  it("/help lists the pipelines and the commands in one reply", async () => {
    const t = await createTestRelay();
    githubApi()
      .pullRequest(2, { sha: HEAD })
      .hasConfig(CONFIG)
      .replies(2, (body) => {
        expect(body).toContain("| `backend` | GitLab CI | push to `master`, `release/*`, `tag v*`; pull requests into `master` | `TARGET`, `DRY_RUN` |");
        expect(body).toContain("| `/ok-to-test <sha>` |");
      });
    await t.receive("issue_comment", prCommentPayload("/help"));
  });

  it("a repository allowlist decides who may run a command instead of write access", async () => {
    const t = await createTestRelay();
    const config = `commands:\n  run: { users: [hubot], teams: [Codertocat/release] }\n${CONFIG}`;
    githubApi()
      .pullRequest(2, { sha: HEAD })
      .hasConfig(config)
      .replies(2, (body) => expect(body).toContain("@Codertocat is not in the `commands.run` allowlist of `.github/pipelines.yml`."));
    githubApi().scope.get("/orgs/Codertocat/teams/release/memberships/Codertocat").reply(404, { message: "Not Found" });
    await t.receive("issue_comment", prCommentPayload("/run backend"));
  });

  it("a team on the repository allowlist may run the command", async () => {
    const t = await createTestRelay();
    const config = `commands:\n  run: { teams: [Codertocat/release] }\n${CONFIG}`;
    githubApi().pullRequest(2, { sha: HEAD }).hasConfig(config).createsCheck(1102).reacts(COMMENT_ID);
    githubApi().scope.get("/orgs/Codertocat/teams/release/memberships/Codertocat").reply(200, { state: "active", role: "member" });
    gitlabApi().createsPipeline(91, HEAD);
    await t.receive("issue_comment", prCommentPayload("/run backend"));
  });

  it("an operator's connection allowlist restricts commands on that connection's pipelines", async () => {
    const operatorYaml = `
connections:
  corp-gitlab:
    vendor: gitlab
    url: https://gitlab.example.com
    token: \${GITLAB_TOKEN}
    repositories: ["Codertocat/*"]
    commands: { retry: { users: [release-bot] } }
`;
    const t = await createTestRelay({ operatorYaml });
    githubApi()
      .pullRequest(2, { sha: HEAD })
      .hasConfig(CONFIG)
      .replies(2, (body) => expect(body).toContain("is not allowed to run `/retry` on pipelines of the connection `corp-gitlab`"));
    await t.receive("issue_comment", prCommentPayload("/retry"));
  });

  it("a malformed command gets a reply that says how to write it", async () => {
    const t = await createTestRelay();
    githubApi()
      .pullRequest(2, { sha: HEAD })
      .hasConfig(CONFIG)
      .replies(2, (body) => expect(body).toContain("`/ok-to-test` needs the commit it approves"));
    await t.receive("issue_comment", prCommentPayload("/ok-to-test please"));
  });
});
