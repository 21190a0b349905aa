import nock from "nock";
import { runCli } from "../../src/bin/provision-command.js";
import { checked } from "../helpers/github-api.js";
import { cliWorkspace, removeCliWorkspaces } from "../helpers/cli-workspace.js";
import { vendorFixture } from "../helpers/fixtures.js";
import { ZADIG_URL } from "../helpers/zadig-api.js";

const TOKEN = "zadig-cli-secret-9c2e";

const RELAY_YML = `
connections:
  zadig-legacy:
    vendor: zadig
    api: pipeline-v2
    url: ${ZADIG_URL}
    token: \${ZADIG_TOKEN}
    repositories: ["acme/*"]
  zadig-17:
    vendor: zadig
    api: "v1.7"
    url: ${ZADIG_URL}
    token: \${ZADIG_TOKEN}
    repositories: ["acme/*"]
  corp-gitlab:
    vendor: gitlab
    url: https://gitlab.example.com
    token: \${ZADIG_TOKEN}
    repositories: ["acme/*"]
`;

const PIPELINES_YML = `
pipelines:
  - name: legacy-v1
    connection: zadig-legacy
    on: { push: {} }
    zadig:
      pipeline: pipeline-1
      codehost_id: 1
      definition: { type: pipeline-v1, stack_name: stack-1, service_name: service-1, test_threshold: 80, repo_owner: acme, repo_name: app, run_test: true }
  - name: legacy-v2
    connection: zadig-legacy
    on: { push: {} }
    zadig:
      pipeline: test-pipeline
      codehost_id: 1
      definition:
        type: pipeline-v2
        sub_tasks:
          - { type: build, repo_owner: acme, repo_name: app, branch: main, timeout: 7200 }
          - { type: testing, product_name: spock-kube, group_name: spock-test, service_name: t, container_name: t, threshold: 90, command: make test, result_path: out }
  - name: workflow
    connection: zadig-17
    on: { push: {} }
    zadig:
      project: nginx
      workflow: nginx-workflow-qa
      codehost_id: 1
      services: [{ service_name: nginx, service_module: nginx-test }]
      definition:
        type: workflow
        env_name: qa
        build_stage: { modules: [{ target: { product_name: nginx, service_name: nginx, service_module: nginx-test } }] }
  - name: plain
    connection: zadig-legacy
    on: { push: {} }
    zadig: { pipeline: other, codehost_id: 1 }
  - name: gitlab-ci
    connection: corp-gitlab
    on: { push: {} }
    gitlab: { project: 42 }
`;

afterEach(removeCliWorkspaces);

const workspace = (pipelinesYml = PIPELINES_YML) => cliWorkspace({ relayYml: RELAY_YML, pipelinesYml }, { ZADIG_TOKEN: TOKEN });

const ARGS = ["provision", "--repo", "acme/app", "--config", "pipelines.yml"];

describe("pipeline-relay provision", () => {
  it("--dry-run prints each create request and sends nothing", async () => {
    const { io, out, err } = workspace();
    expect(await runCli([...ARGS, "--dry-run"], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out.filter((line) => !line.startsWith("POST "))).toEqual([
      'legacy-v1 (zadig): dry-run: would create pipeline V1 "pipeline-1"',
      'legacy-v2 (zadig): dry-run: would create pipeline V2 "test-pipeline"',
      'workflow (zadig): dry-run: would create workflow "nginx-workflow-qa" in project "nginx"',
      "plain (zadig): skipped: no `definition:` in the zadig block",
      "gitlab-ci (gitlab): skipped: pipeline-relay cannot create GitLab CI pipelines",
    ]);
    const printed = out.filter((line) => line.startsWith("POST "));
    expect(printed.map((line) => line.split("\n")[0])).toEqual([
      `POST ${ZADIG_URL}/api/pipelines`,
      `POST ${ZADIG_URL}/api/v2/pipelines`,
      `POST ${ZADIG_URL}/api/aslan/workflow/workflow`,
    ]);
    expect(JSON.parse(printed[0]!.slice(printed[0]!.indexOf("\n") + 1))).toMatchObject({ pipeline_name: "pipeline-1", test_threshold: 80, run_test: true, enabled: true });
  });

  it("creates on Zadig with the token; an existing workflow is `exists`, a vendor error one `failed` line", async () => {
    const { io, out } = workspace();
    const zadig = nock(ZADIG_URL, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
    zadig.post("/api/pipelines", (body) => checked((b) => expect(b).toMatchObject({ pipeline_name: "pipeline-1", repo_owner: "acme" }), body)).reply(200, "");
    zadig.post("/api/v2/pipelines", (body) => checked((b) => expect(b.sub_tasks).toHaveLength(2), body)).reply(400, vendorFixture("zadig", "error.seed_6800_create_pipeline"));
    zadig
      .post("/api/aslan/workflow/workflow", (body) => checked((b) => expect(b).toMatchObject({ name: "nginx-workflow-qa", product_tmpl_name: "nginx", env_name: "qa" }), body))
      .reply(400, vendorFixture("zadig", "error.v17_workflow_exists_6540"));

    expect(await runCli(ARGS, io)).toBe(1);
    expect(out).toEqual([
      'legacy-v1 (zadig): created: created pipeline V1 "pipeline-1"',
      "legacy-v2 (zadig): failed: zadig provision failed: HTTP 400: 6800: create pipeline error: error details",
      'workflow (zadig): exists: workflow "nginx-workflow-qa" in project "nginx" already exists on Zadig',
      "plain (zadig): skipped: no `definition:` in the zadig block",
      "gitlab-ci (gitlab): skipped: pipeline-relay cannot create GitLab CI pipelines",
    ]);
    expect(out.join("\n")).not.toContain(TOKEN);
  });

  it("stops with the config's problems before calling anyone", async () => {
    const { io, out, err } = workspace(PIPELINES_YML.replace("connection: zadig-17", "connection: zadig-nowhere"));
    expect(await runCli(ARGS, io)).toBe(2);
    expect(out).toEqual([]);
    expect(err.join("\n")).toContain('pipelines[2].connection: unknown connection "zadig-nowhere"');
  });

  it.each([
    [["provision"], "--repo owner/name is required"],
    [["provision", "--repo", "acme"], "--repo owner/name is required"],
    [["provision", "--repo", "acme/app", "--force"], "Unknown option '--force'"],
    [["deploy"], 'unknown command "deploy"'],
  ])("refuses %j with usage", async (argv, message) => {
    const { io, err } = workspace();
    expect(await runCli(argv, io)).toBe(2);
    expect(err.join("\n")).toContain(message);
    expect(err.join("\n")).toContain("Usage: pipeline-relay provision");
  });
});
