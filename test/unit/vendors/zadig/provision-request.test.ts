import { provisionRequest } from "../../../../src/vendors/zadig/provision.js";
import { zadigConnection, zadigTarget } from "../../../../src/vendors/zadig/schema.js";

const connection = { pipelines_prefix: "/api" };
const parse = (block: unknown) => zadigTarget.parse(block);

describe("provisionRequest", () => {
  it("pipeline V1: the seed's body, name from the block, defaults filled in", () => {
    const target = parse({
      pipeline: "pipeline-1",
      definition: { type: "pipeline-v1", stack_name: "stack-1", service_name: "service-1", test_threshold: 80, repo_owner: "yaoshipu", repo_name: "aslan-platform", run_test: true },
    });
    expect(provisionRequest(target, connection)).toEqual({
      what: 'pipeline V1 "pipeline-1"',
      path: "/api/pipelines",
      body: {
        pipeline_name: "pipeline-1",
        stack_name: "stack-1",
        service_name: "service-1",
        test_threshold: 80,
        repo_owner: "yaoshipu",
        repo_name: "aslan-platform",
        run_build: true,
        run_deploy: false,
        run_deploy_cs: false,
        run_test: true,
        run_distribute: false,
        enabled: true,
      },
    });
  });

  it("pipeline V2 with sub_tasks, under a Zadig 1.x prefix", () => {
    const target = parse({
      pipeline: "test-pipeline",
      definition: {
        type: "pipeline-v2",
        description: "demo desc",
        schedule: "*/10 * * * * *",
        sub_tasks: [
          { type: "build", repo_owner: "qbox", repo_name: "aslan-platform", branch: "dev", timeout: 7200 },
          { type: "testing", product_name: "spock-kube", group_name: "spock-test", service_name: "t", container_name: "t", threshold: 90, command: "make test", result_path: "out", timeout: 3600 },
          { type: "distribute", dist_host: "jumpbox", timeout: 600 },
          { type: "jira", timeout: 600 },
        ],
      },
    });
    const request = provisionRequest(target, { pipelines_prefix: "/api/aslan/workflow" })!;
    expect(request.path).toBe("/api/aslan/workflow/v2/pipelines");
    expect(request.body).toMatchObject({ name: "test-pipeline", description: "demo desc", enabled: true, schedule: "*/10 * * * * *" });
    expect((request.body as { sub_tasks: Array<{ type: string }> }).sub_tasks.map((t) => t.type)).toEqual(["build", "testing", "distribute", "jira"]);
  });

  it("v1.7 workflow: the seed's body, with module keys filled in", () => {
    const module = { target: { product_name: "nginx", service_name: "nginx", service_module: "nginx-test" } };
    const target = parse({
      project: "nginx",
      workflow: "zadig-test-workflow-qa",
      definition: { type: "workflow", env_name: "qa", build_stage: { modules: [module] }, artifact_stage: { modules: [module] } },
    });
    const keyed = { target: { ...module.target, key: "nginx/nginx-test" } };
    expect(provisionRequest(target, connection)).toEqual({
      what: 'workflow "zadig-test-workflow-qa" in project "nginx"',
      path: "/api/aslan/workflow/workflow",
      body: {
        name: "zadig-test-workflow-qa",
        enabled: true,
        product_tmpl_name: "nginx",
        team: "",
        description: "",
        notify_ctl: { enabled: false, notify_type: [] },
        build_stage: { enabled: true, modules: [keyed] },
        artifact_stage: { enabled: false, modules: [keyed] },
        env_name: "qa",
      },
    });
  });

  it("null without a definition", () => {
    expect(provisionRequest(parse({ pipeline: "p" }), connection)).toBeNull();
  });
});

describe("the zadig block", () => {
  it.each([
    ["neither workflow nor pipeline", { project: "p" }, "name exactly one of `workflow` (with `project`) or `pipeline`"],
    ["both", { project: "p", workflow: "w", pipeline: "x" }, "name exactly one of"],
    ["a workflow without project", { workflow: "w" }, "a workflow belongs to a project"],
    ["a V1 definition on a workflow", { project: "p", workflow: "w", definition: { type: "pipeline-v1", repo_owner: "o", repo_name: "r" } }, "a pipeline-v1 definition needs `pipeline`"],
    [
      "a workflow definition on a pipeline",
      { pipeline: "x", definition: { type: "workflow", env_name: "qa", build_stage: { modules: [{ target: { product_name: "a", service_name: "b", service_module: "c" } }] } } },
      "a workflow definition needs `workflow` (its name) and `project`",
    ],
    ["a workflow definition without build modules", { project: "p", workflow: "w", definition: { type: "workflow", env_name: "qa", build_stage: { modules: [] } } }, "Too small"],
    ["a threshold over 100", { pipeline: "x", definition: { type: "pipeline-v1", repo_owner: "o", repo_name: "r", test_threshold: 120 } }, "Too big"],
    ["an unknown job type", { project: "p", workflow: "w", jobs: [{ type: "zadig-deploy", name: "d" }] }, "jobs"],
    ["an unknown key", { pipeline: "x", pipline_name: "y" }, "pipline_name"],
  ])("rejects %s", (_label, block, message) => {
    const result = zadigTarget.safeParse(block);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error!.issues)).toContain(message);
  });
});

describe("the zadig connection", () => {
  it("defaults to the OpenAPI with a Bearer token, the seed's pipeline prefix and no callbacks", () => {
    expect(zadigConnection.parse({ url: "https://zadig.example.com", token: "t" })).toEqual({
      url: "https://zadig.example.com",
      token: "t",
      api: "openapi",
      token_header: "authorization",
      token_scheme: "Bearer",
      pipelines_prefix: "/api",
      poll_seconds_with_callbacks: 300,
    });
  });

  it.each([
    ["an unknown api", { api: "v2" }],
    ["a header name with a space", { token_header: "x token" }],
    ["a prefix without a slash", { pipelines_prefix: "api" }],
    ["a non-http url", { url: "ftp://zadig" }],
  ])("rejects %s", (_label, fields) => {
    expect(zadigConnection.safeParse({ url: "https://zadig.example.com", token: "t", ...fields }).success).toBe(false);
  });
});
