import { configFixture } from "../helpers/fixtures.js";
import { githubApi } from "../helpers/github-api.js";
import { gitlabApi } from "../helpers/gitlab-api.js";
import { createTestRelay } from "../helpers/relay.js";
import { pullRequestPayload, pushPayload } from "../helpers/webhooks.js";

const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

describe("reading .github/pipelines.yml with a cache", () => {
  it("reads the file once for a burst of events, again after it expires", async () => {
    const t = await createTestRelay({ configCacheSeconds: 300 });
    githubApi().hasConfig(configFixture("gitlab")).headCommit(HEAD).createsCheck(1501);
    gitlabApi().createsPipeline(150, HEAD);
    await t.receive("pull_request", pullRequestPayload("opened"));
    await t.receive("pull_request", pullRequestPayload("labeled")); // no second read: the config came from the cache

    t.advance(301_000);
    githubApi().hasConfig(configFixture("gitlab"));
    // The run's poll is due by now too: it runs beside the event.
    gitlabApi().reportsPipeline(150, "running", HEAD);
    githubApi().updatesCheck(1501);
    await t.receive("pull_request", pullRequestPayload("labeled"));
  });

  it("a push to the default branch reads the file again", async () => {
    const t = await createTestRelay({ configCacheSeconds: 300 });
    githubApi().hasNoConfig();
    await t.receive("pull_request", pullRequestPayload("opened"));
    await t.receive("pull_request", pullRequestPayload("labeled")); // "no file" is cached too

    const push = pushPayload({ files: [".github/pipelines.yml"] });
    push.repository.default_branch = "master";
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(1502);
    gitlabApi().createsPipeline(151, push.after);
    await t.receive("push", push);
  });

  it("a push to the default branch that does not touch the file keeps the cached config", async () => {
    const t = await createTestRelay({ configCacheSeconds: 300 });
    // Both pushes run side by side (the second does not cancel the first), so each asks for exactly one trigger.
    const config = configFixture("gitlab").replace("timeout_minutes: 30", "timeout_minutes: 30\n    cancel_in_progress: false");
    githubApi().hasConfig(config).createsCheck(1505);
    gitlabApi().createsPipeline(152, "a".repeat(40));
    await t.receive("push", pushPayload({ after: "a".repeat(40), files: [".github/pipelines.yml"] }));

    // No second read: its commits list every file they touched, and the config is not one of them.
    githubApi().createsCheck(1506);
    gitlabApi().createsPipeline(153, "b".repeat(40));
    await t.receive("push", pushPayload({ after: "b".repeat(40), files: ["src/app.ts"] }));
  });

  it("a cached invalid config is still reported on each new commit", async () => {
    const t = await createTestRelay({ configCacheSeconds: 300 });
    githubApi().hasConfig("pipelines: []").listsNoChecks().createsCheck(1503, (body) => expect(body.name).toBe("pipeline-relay/config"));
    await t.receive("pull_request", pullRequestPayload("opened"));
    githubApi().listsNoChecks().createsCheck(1504, (body) => expect(body).toMatchObject({ name: "pipeline-relay/config", head_sha: "9".repeat(40) }));
    await t.receive("pull_request", pullRequestPayload("synchronize", (p) => (p.pull_request.head.sha = "9".repeat(40))));
  });
});
