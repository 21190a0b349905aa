import nock from "nock";
import { checked } from "../helpers/github-api.js";
import { gitlabApi } from "../helpers/gitlab-api.js";
import { createTestRelay } from "../helpers/relay.js";
import { webhookExample } from "../helpers/webhooks.js";

// The example payload (octo-org/octo-repo, base main, installation 1) from @octokit/webhooks-examples.
const HEAD_SHA = "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d";
const QUEUE_BRANCH = "gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64";
const REPO_PATH = "/repos/octo-org/octo-repo";

const OPERATOR_YAML = `
connections:
  corp-gitlab:
    vendor: gitlab
    url: https://gitlab.example.com
    token: \${GITLAB_TOKEN}
    repositories: ["octo-org/*"]
`;

function config(rule: string): string {
  return `pipelines:
  - name: queue-checks
    connection: corp-gitlab
    gitlab: { project: acme/backend }
    on:
      push: { branches: [main] }
      merge_group: ${rule}
  - name: push-only
    connection: corp-gitlab
    gitlab: { project: acme/backend }
    on:
      push: { branches: [main] }
`;
}

function hasConfig(yamlText: string) {
  nock("https://api.github.com").get(`${REPO_PATH}/contents/.github%2Fpipelines.yml`).reply(200, yamlText, { "content-type": "text/plain; charset=utf-8" });
}

function createsCheck(id: number, expect: (body: any) => void) {
  nock("https://api.github.com").post(`${REPO_PATH}/check-runs`, (body) => checked(expect, body)).reply(201, { id });
}

const checksRequested = () => webhookExample("merge_group", (p) => p.action === "checks_requested");

describe("merge queue (merge_group)", () => {
  it("checks_requested runs the opted-in pipeline on the group's head commit and temporary branch, and reports there", async () => {
    const t = await createTestRelay({ operatorYaml: OPERATOR_YAML });
    hasConfig(config("{}"));
    createsCheck(901, (body) => expect(body).toMatchObject({ name: "pipeline-relay/queue-checks", head_sha: HEAD_SHA, status: "queued" }));
    gitlabApi().createsPipeline(81, HEAD_SHA, (body) => {
      expect(body.ref).toBe(QUEUE_BRANCH);
      expect(body.variables).toEqual(
        expect.arrayContaining([
          { key: "RELAY_EVENT", value: "merge_group", variable_type: "env_var" },
          { key: "RELAY_SHA", value: HEAD_SHA, variable_type: "env_var" },
          { key: "RELAY_REF", value: QUEUE_BRANCH, variable_type: "env_var" },
        ]),
      );
    });

    await t.receive("merge_group", checksRequested());

    const runs = await t.store.runsForCommit("octo-org", "octo-repo", HEAD_SHA);
    expect(runs.map((r) => [r.pipeline, r.ref, r.vendorRunId])).toEqual([["queue-checks", QUEUE_BRANCH, "81"]]);

    // A redelivery of the same group starts nothing twice.
    hasConfig(config("{}"));
    await t.receive("merge_group", checksRequested());
    expect(await t.store.runsForCommit("octo-org", "octo-repo", HEAD_SHA)).toHaveLength(1);
  });

  it("destroyed cancels the group's runs that are still going", async () => {
    const t = await createTestRelay({ operatorYaml: OPERATOR_YAML });
    hasConfig(config("{}"));
    createsCheck(902, () => {});
    gitlabApi().createsPipeline(82, HEAD_SHA);
    await t.receive("merge_group", checksRequested());

    const destroyed = checksRequested();
    destroyed.action = "destroyed";
    destroyed.reason = "dequeued";
    gitlabApi().cancels(82);
    await t.receive("merge_group", destroyed);

    expect((await t.store.runsForCommit("octo-org", "octo-repo", HEAD_SHA))[0]!.cancelReason).toBe("Merge group dequeued");

    gitlabApi().reportsPipeline(82, "canceled", HEAD_SHA);
    nock("https://api.github.com")
      .patch(`${REPO_PATH}/check-runs/902`, (body) => checked((b) => expect(b).toMatchObject({ conclusion: "cancelled", output: { title: "Merge group dequeued" } }), body))
      .reply(200, { id: 902 });
    await t.soon();
    expect((await t.store.runsForCommit("octo-org", "octo-repo", HEAD_SHA))[0]!.state).toBe("cancelled");
  });

  it("the branch filter defaults to the default branch; an explicit filter decides otherwise", async () => {
    const t = await createTestRelay({ operatorYaml: OPERATOR_YAML });
    const toRelease = checksRequested();
    toRelease.merge_group.base_ref = "refs/heads/release/1.x";
    hasConfig(config("{}"));
    await t.receive("merge_group", toRelease);
    expect(await t.store.runsForCommit("octo-org", "octo-repo", HEAD_SHA)).toEqual([]);

    hasConfig(config(`{ branches: ["release/*"] }`));
    createsCheck(903, (body) => expect(body.head_sha).toBe(HEAD_SHA));
    gitlabApi().createsPipeline(83, HEAD_SHA);
    await t.receive("merge_group", toRelease);
    expect(await t.store.runsForCommit("octo-org", "octo-repo", HEAD_SHA)).toHaveLength(1);
  });
});
