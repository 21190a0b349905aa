import type { TriggerRequest } from "../types.js";
import { missingField } from "./errors.js";
import type { ZadigApi, ZadigTarget, ZadigWorkflowJob } from "./schema.js";

/*
 * Pure builders of the start-task bodies. Every flavour pins the GitHub sha (`commit_id`), so
 * Zadig builds exactly the commit the check run is for, not whatever the branch points at later.
 */

type Req = TriggerRequest<ZadigTarget>;

/** Where Zadig finds the code: the branch (or, for a pull request, the base branch plus the PR). */
export interface CodeRef {
  namespace: string;
  name: string;
  branch: string;
  tag: string;
  pr: number;
}

export function codeRefOf(req: Req): CodeRef {
  const repo = req.target.repository;
  const base = { namespace: repo?.namespace ?? req.repository.owner, name: repo?.name ?? req.repository.name };
  // Zadig builds a pull request by merging it into its base branch, as its own GitHub webhook does.
  if (req.pullRequest) return { ...base, branch: req.pullRequest.baseRef, tag: "", pr: req.pullRequest.number };
  if (req.refType === "tag") return { ...base, branch: "", tag: req.ref, pr: 0 };
  return { ...base, branch: req.ref, tag: "", pr: 0 };
}

const keyValues = (req: Req) => Object.entries(req.variables).map(([key, value]) => ({ key, value }));

/** OpenAPI `POST /openapi/workflows/custom/task`. */
export function openapiTaskBody(req: Req) {
  const { target } = req;
  const need = (field: string, why: string) => missingField("openapi", "trigger", field, why);
  if (!target.workflow) throw need("workflow", "the custom workflow's key");
  if (!target.codehost) throw need("codehost", "Zadig's name for the code host that holds this repository");
  if (!target.jobs) throw need("jobs", "the workflow's build, testing or freestyle jobs that receive the commit");
  const code = codeRefOf(req);
  const repoInfo = {
    codehost_name: target.codehost,
    repo_namespace: code.namespace,
    repo_name: code.name,
    // OpenAPI repo inputs carry no tag: a tag is checked out by name, and the commit pins it anyway.
    branch: code.branch || code.tag,
    pr: code.pr,
    prs: code.pr ? [code.pr] : [],
    enable_commit: true,
    commit_id: req.sha,
  };
  const kv = keyValues(req);
  return {
    workflow_key: target.workflow,
    project_key: target.project,
    parameters: Object.entries(req.variables).map(([name, value]) => ({ name, type: "string", value })),
    inputs: target.jobs.map((job) => ({ job_name: job.name, job_type: job.type, parameters: jobParameters(job, repoInfo, kv) })),
  };
}

function jobParameters(job: ZadigWorkflowJob, repoInfo: object, kv: Array<{ key: string; value: string }>) {
  switch (job.type) {
    case "zadig-build":
      return {
        registry: job.registry,
        service_list: job.services.map((service) => ({ ...service, repo_info: [repoInfo], inputs: kv })),
      };
    case "zadig-testing":
      return { testing_list: job.testings.map((testing) => ({ testing_name: testing, repo_info: [repoInfo], inputs: kv })) };
    case "freestyle":
      return { kv, repo_info: [repoInfo] };
  }
}

/** The aslan `Repository` (v1.7 workflow targets and pipeline V2 builds). */
export function aslanRepository(req: Req, api: Exclude<ZadigApi, "openapi">) {
  const codehostId = req.target.codehost_id;
  if (codehostId === undefined) throw missingField(api, "trigger", "codehost_id", "Zadig's id of the code host that holds this repository");
  const code = codeRefOf(req);
  return {
    source: req.target.repository?.source ?? "github",
    codehost_id: codehostId,
    repo_owner: code.namespace,
    repo_name: code.name,
    branch: code.branch,
    tag: code.tag,
    pr: code.pr,
    commit_id: req.sha,
    is_primary: true,
  };
}

const aslanKeyValues = (req: Req) => keyValues(req).map((kv) => ({ ...kv, is_credential: false }));

/** v1.7 `POST /api/aslan/workflow/workflowtask` (`WorkflowTaskArgs`). */
export function workflowTaskBody(req: Req) {
  const { target } = req;
  if (!target.workflow) throw missingField("v1.7", "trigger", "workflow", "the product workflow's name");
  if (!target.services && !target.tests) {
    throw missingField("v1.7", "trigger", "services", "the services (or `tests`) whose builds receive the commit");
  }
  const repo = aslanRepository(req, "v1.7");
  const envs = aslanKeyValues(req);
  return {
    workflow_name: target.workflow,
    product_tmpl_name: target.project,
    description: req.description,
    namespace: target.env ?? "",
    targets: (target.services ?? []).map((service) => ({
      name: service.service_module,
      service_name: service.service_name,
      build: { repos: [repo] },
      envs,
    })),
    tests: (target.tests ?? []).map((test) => ({ test_module_name: test, namespace: target.env ?? "", envs, builds: [repo] })),
    merge_request_id: repo.pr ? String(repo.pr) : "",
    commit_id: req.sha,
    source: repo.source,
    codehost_id: repo.codehost_id,
    repo_owner: repo.repo_owner,
    repo_name: repo.repo_name,
    request_mode: "openAPI",
  };
}

/** Pipeline V2 `POST /api/aslan/workflow/v2/tasks` (`TaskArgs`). */
export function pipelineTaskBody(req: Req) {
  const { target } = req;
  if (!target.pipeline) throw missingField("pipeline-v2", "trigger", "pipeline", "the pipeline V2's name");
  const repo = aslanRepository(req, "pipeline-v2");
  return {
    product_name: target.project ?? "",
    pipeline_name: target.pipeline,
    builds: [repo],
    build_args: aslanKeyValues(req),
    codehost_id: repo.codehost_id,
    task_creator: "pipeline-relay",
  };
}
