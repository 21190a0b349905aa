import type { TriggerRequest } from "../../../../src/vendors/types.js";
import { codeRefOf, openapiTaskBody, pipelineTaskBody, workflowTaskBody } from "../../../../src/vendors/zadig/request-bodies.js";
import type { ZadigTarget } from "../../../../src/vendors/zadig/schema.js";

const SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const PR = { number: 2, headRef: "changes", baseRef: "master", headSha: SHA };

function req(target: ZadigTarget, overrides: Partial<TriggerRequest<ZadigTarget>> = {}): TriggerRequest<ZadigTarget> {
  return {
    target,
    repository: { owner: "Codertocat", name: "Hello-World", fullName: "Codertocat/Hello-World", cloneUrl: "", htmlUrl: "" },
    sha: SHA,
    ref: "master",
    refType: "branch",
    variables: { DEPLOY_ENV: "staging", RELAY_SHA: SHA },
    description: "GitHub Codertocat/Hello-World@ec26c3e via pipeline-relay",
    ...overrides,
  };
}

const pipelineTarget: ZadigTarget = { pipeline: "p", codehost_id: 4 };

describe("codeRefOf", () => {
  it.each<[string, Partial<TriggerRequest<ZadigTarget>>, ZadigTarget, object]>([
    ["push to a branch", {}, pipelineTarget, { namespace: "Codertocat", name: "Hello-World", branch: "master", tag: "", pr: 0 }],
    ["push of a tag", { ref: "v1.2.0", refType: "tag" }, pipelineTarget, { branch: "", tag: "v1.2.0", pr: 0 }],
    ["pull request: base branch plus PR number", { ref: "changes", pullRequest: PR }, pipelineTarget, { branch: "master", tag: "", pr: 2 }],
    [
      "repository known to Zadig under other names",
      {},
      { ...pipelineTarget, repository: { namespace: "mirror", name: "hello", source: "gitlab" } },
      { namespace: "mirror", name: "hello", branch: "master" },
    ],
  ])("%s", (_label, overrides, target, expected) => {
    expect(codeRefOf(req(target, overrides))).toMatchObject(expected);
  });
});

describe("openapiTaskBody", () => {
  const target: ZadigTarget = {
    project: "proxy",
    workflow: "build-deploy",
    codehost: "gh",
    jobs: [
      { type: "zadig-build", name: "build", registry: "reg.example.com/ns", services: [{ service_name: "svc", service_module: "mod" }] },
      { type: "zadig-testing", name: "test", testings: ["unit"] },
      { type: "freestyle", name: "lint" },
    ],
  };
  const repoInfo = { codehost_name: "gh", repo_namespace: "Codertocat", repo_name: "Hello-World", branch: "master", pr: 2, prs: [2], enable_commit: true, commit_id: SHA };
  const kv = [{ key: "DEPLOY_ENV", value: "staging" }, { key: "RELAY_SHA", value: SHA }];

  it("puts the repo, PR and pinned commit into every job's input, and the variables everywhere", () => {
    expect(openapiTaskBody(req(target, { ref: "changes", pullRequest: PR }))).toEqual({
      workflow_key: "build-deploy",
      project_key: "proxy",
      parameters: [
        { name: "DEPLOY_ENV", type: "string", value: "staging" },
        { name: "RELAY_SHA", type: "string", value: SHA },
      ],
      inputs: [
        { job_name: "build", job_type: "zadig-build", parameters: { registry: "reg.example.com/ns", service_list: [{ service_name: "svc", service_module: "mod", repo_info: [repoInfo], inputs: kv }] } },
        { job_name: "test", job_type: "zadig-testing", parameters: { testing_list: [{ testing_name: "unit", repo_info: [repoInfo], inputs: kv }] } },
        { job_name: "lint", job_type: "freestyle", parameters: { kv, repo_info: [repoInfo] } },
      ],
    });
  });

  it("checks out a pushed tag by name, pinned to the commit", () => {
    const body = openapiTaskBody(req(target, { ref: "v2", refType: "tag" }));
    expect(body.inputs[2]!.parameters).toMatchObject({ repo_info: [{ branch: "v2", pr: 0, prs: [], commit_id: SHA }] });
  });

  it.each([
    ["workflow", { ...target, workflow: undefined, pipeline: "p" }],
    ["codehost", { ...target, codehost: undefined }],
    ["jobs", { ...target, jobs: undefined }],
  ])("refuses a block without `%s`", (field, bad) => {
    expect(() => openapiTaskBody(req(bad))).toThrow(`has no \`${field}\`, which the openapi API needs`);
  });
});

describe("workflowTaskBody (v1.7)", () => {
  const target: ZadigTarget = { project: "proxy", workflow: "proxy-workflow-dev", codehost_id: 4, env: "dev", services: [{ service_name: "svc", service_module: "mod" }], tests: ["smoke"] };
  const repo = { source: "github", codehost_id: 4, repo_owner: "Codertocat", repo_name: "Hello-World", branch: "master", tag: "", pr: 2, commit_id: SHA, is_primary: true };
  const envs = [{ key: "DEPLOY_ENV", value: "staging", is_credential: false }, { key: "RELAY_SHA", value: SHA, is_credential: false }];

  it("builds WorkflowTaskArgs with the PR as merge_request_id and the commit pinned", () => {
    expect(workflowTaskBody(req(target, { ref: "changes", pullRequest: PR }))).toEqual({
      workflow_name: "proxy-workflow-dev",
      product_tmpl_name: "proxy",
      description: "GitHub Codertocat/Hello-World@ec26c3e via pipeline-relay",
      namespace: "dev",
      targets: [{ name: "mod", service_name: "svc", build: { repos: [repo] }, envs }],
      tests: [{ test_module_name: "smoke", namespace: "dev", envs, builds: [repo] }],
      merge_request_id: "2",
      commit_id: SHA,
      source: "github",
      codehost_id: 4,
      repo_owner: "Codertocat",
      repo_name: "Hello-World",
      request_mode: "openAPI",
    });
  });

  it.each([
    ["codehost_id", { ...target, codehost_id: undefined }],
    ["services", { ...target, services: undefined, tests: undefined }],
  ])("refuses a block without `%s`", (field, bad) => {
    expect(() => workflowTaskBody(req(bad))).toThrow(`has no \`${field}\`, which the v1.7 API needs`);
  });
});

describe("pipelineTaskBody (pipeline V2)", () => {
  it("builds TaskArgs with one build repo for a tag and the variables as build_args", () => {
    expect(pipelineTaskBody(req({ project: "spock-kube", pipeline: "test-pipeline", codehost_id: 4 }, { ref: "v1", refType: "tag" }))).toEqual({
      product_name: "spock-kube",
      pipeline_name: "test-pipeline",
      builds: [{ source: "github", codehost_id: 4, repo_owner: "Codertocat", repo_name: "Hello-World", branch: "", tag: "v1", pr: 0, commit_id: SHA, is_primary: true }],
      build_args: [
        { key: "DEPLOY_ENV", value: "staging", is_credential: false },
        { key: "RELAY_SHA", value: SHA, is_credential: false },
      ],
      codehost_id: 4,
      task_creator: "pipeline-relay",
    });
  });

  it("refuses a block that names a workflow instead of a pipeline", () => {
    expect(() => pipelineTaskBody(req({ project: "p", workflow: "w", codehost_id: 4 }))).toThrow("has no `pipeline`, which the pipeline-v2 API needs");
  });
});
