import nock from "nock";
import { checked } from "./github-api.js";
import { vendorFixture } from "./fixtures.js";

export const ZADIG_URL = "https://zadig.example.com";
export type ZadigApiName = "openapi" | "v1.7" | "pipeline-v2";

/** What a pipeline's zadig block names, per flavour, in the tests. */
export const ZADIG_NAMES: Record<ZadigApiName, { project: string; name: string }> = {
  openapi: { project: "proxy", name: "build-deploy" },
  "v1.7": { project: "proxy", name: "proxy-workflow-dev" },
  "pipeline-v2": { project: "spock-kube", name: "test-pipeline" },
};

export interface TestCounts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  errored?: number;
}

/** Zadig's TestSuite for neutral counts (total = tests + skips, passed = tests − failures − errors). */
export function suiteFor(counts: TestCounts) {
  return {
    tests: counts.total - counts.skipped,
    failures: counts.failed,
    successes: counts.passed,
    skips: counts.skipped,
    errors: counts.errored ?? 0,
    time: 1.5,
    system_out: "",
    system_err: "",
    testcase: [],
  };
}

function pathsOf(api: ZadigApiName, name: string, project: string) {
  if (api === "openapi") {
    const task = "/openapi/workflows/custom/task";
    return {
      start: task,
      status: (id: number) => ({ path: task, query: { taskId: String(id), workflowKey: name } }),
      cancel: (id: number) => ({ path: task, query: { taskId: String(id), workflowKey: name } }),
      retry: (id: number) => ({ path: `/openapi/workflows/custom/${name}/task/${id}`, query: { projectKey: project } }),
    };
  }
  const tasks = api === "v1.7" ? "/api/aslan/workflow/workflowtask" : "/api/aslan/workflow/v2/tasks";
  const actionQuery = api === "v1.7" ? { projectName: project } : {};
  return {
    start: tasks,
    status: (id: number) => ({ path: `${tasks}/id/${id}/pipelines/${name}`, query: {} }),
    cancel: (id: number) => ({ path: `${tasks}/id/${id}/pipelines/${name}`, query: actionQuery }),
    retry: (id: number) => ({ path: `${tasks}/id/${id}/pipelines/${name}/restart`, query: actionQuery }),
  };
}

/** Fluent nock builder for one Zadig API flavour, answering with the documented bodies. */
export function zadigApi(api: ZadigApiName, options: { token?: string; url?: string } = {}) {
  const { project, name } = ZADIG_NAMES[api];
  const scope = nock(options.url ?? ZADIG_URL, options.token ? { reqheaders: { authorization: `Bearer ${options.token}` } } : undefined);
  const paths = pathsOf(api, name, project);
  const aslan = api !== "openapi";
  const taskBody = (id: number, status: string) => {
    const base = api === "openapi" ? vendorFixture("zadig", "openapi_task_detail.running.schema") : vendorFixture("zadig", "v17_task_detail.running.schema");
    return { ...base, task_id: id, ...(aslan ? { pipeline_name: name } : { workflow_key: name }), status };
  };
  const get = (route: { path: string; query: Record<string, string> }) => scope.get(route.path).query(route.query);

  const zadig = {
    scope,
    startsTask(id: number, expect?: (body: any) => void) {
      const answer = api === "openapi" ? { ...vendorFixture("zadig", "openapi_task_create.schema"), task_id: id } : { pipeline_name: name, task_id: id };
      scope.post(paths.start, (body) => checked(expect, body)).reply(200, answer);
      return zadig;
    },
    failsToStart(status: number, body: unknown, times = 1) {
      scope.post(paths.start).times(times).reply(status, body as nock.Body);
      return zadig;
    },
    reportsTask(id: number, status: string) {
      get(paths.status(id)).reply(200, taskBody(id, status));
      return zadig;
    },
    reportsBody(id: number, body: unknown) {
      get(paths.status(id)).reply(200, body as nock.Body);
      return zadig;
    },
    failsToReport(id: number, status: number, body: unknown) {
      get(paths.status(id)).reply(status, body as nock.Body);
      return zadig;
    },
    networkFails(id: number, times: number) {
      get(paths.status(id)).times(times).replyWithError("socket hang up");
      return zadig;
    },
    cancels(id: number) {
      const route = paths.cancel(id);
      scope.delete(route.path).query(route.query).reply(200, api === "openapi" ? "" : vendorFixture("zadig", "v17_task_cancel"));
      return zadig;
    },
    retries(id: number) {
      const route = paths.retry(id);
      scope.post(route.path).query(route.query).reply(200, api === "openapi" ? "" : vendorFixture("zadig", "v17_task_restart"));
      return zadig;
    },
    refusesRetry(id: number, body: unknown) {
      const route = paths.retry(id);
      scope.post(route.path).query(route.query).reply(400, body as nock.Body);
      return zadig;
    },
    /** The finished task with these test counts, or with no test report at all (null). */
    hasTests(id: number, counts: TestCounts | null) {
      if (api === "openapi") {
        const fixture = counts ? "openapi_task_detail.passed_with_testing.schema" : "openapi_task_detail.passed.schema";
        get(paths.status(id)).reply(200, { ...vendorFixture("zadig", fixture), task_id: id, workflow_key: name });
        if (counts) {
          scope.get(`/api/aslan/testing/itreport/workflowv4/${name}/id/${id}/job/unit-test`).reply(200, { functionTestSuite: suiteFor(counts) });
        }
        return zadig;
      }
      const body = { ...vendorFixture("zadig", "v17_task_detail.passed.schema"), task_id: id, pipeline_name: name };
      get(paths.status(id)).reply(200, counts ? { ...body, test_reports: { "unit-test": { functionTestSuite: suiteFor(counts) } } } : body);
      return zadig;
    },
    /** HTTP 200 with Zadig's error envelope on the call the operation makes (for the task-reading ones: the last call). */
    answersEnvelope(operation: "trigger" | "getRun" | "cancel" | "retry" | "getTestSummary" | "describeFailure", id: number, body: unknown) {
      const reply = body as nock.Body;
      if (operation === "trigger") scope.post(paths.start).reply(200, reply);
      else if (operation === "getRun") get(paths.status(id)).reply(200, reply);
      else if (operation === "cancel") scope.delete(paths.cancel(id).path).query(paths.cancel(id).query).reply(200, reply);
      else if (operation === "retry") scope.post(paths.retry(id).path).query(paths.retry(id).query).reply(200, reply);
      else if (api !== "openapi") get(paths.status(id)).reply(200, reply);
      else if (operation === "getTestSummary") {
        get(paths.status(id)).reply(200, { ...vendorFixture("zadig", "openapi_task_detail.passed_with_testing.schema"), task_id: id, workflow_key: name });
        scope.get(`/api/aslan/testing/itreport/workflowv4/${name}/id/${id}/job/unit-test`).reply(200, reply);
      } else {
        get(paths.status(id)).reply(200, { ...vendorFixture("zadig", "openapi_task_detail.failed.schema"), task_id: id, workflow_key: name });
        scope.get(`/openapi/logs/log/v4/workflow/${name}/${id}/build-service1`).reply(200, reply);
      }
      return zadig;
    },
    /** The failed task; on OpenAPI also the failed job's log. */
    hasFailure(id: number, log = "step 1\nstep 2\nerror: build failed\n") {
      if (api === "openapi") {
        get(paths.status(id)).reply(200, { ...vendorFixture("zadig", "openapi_task_detail.failed.schema"), task_id: id, workflow_key: name });
        scope.get(`/openapi/logs/log/v4/workflow/${name}/${id}/build-service1`).reply(200, log, { "content-type": "text/plain" });
        return zadig;
      }
      get(paths.status(id)).reply(200, { ...vendorFixture("zadig", "v17_task_detail.failed.schema"), task_id: id, pipeline_name: name });
      return zadig;
    },
  };
  return zadig;
}

/** One connection per flavour, all on the same host; the token is the relay's canary secret. */
export const ZADIG_CONNECTIONS: Record<ZadigApiName, string> = { openapi: "zadig-openapi", "v1.7": "zadig-v17", "pipeline-v2": "zadig-v2" };

export const ZADIG_OPERATOR_YAML = `
connections:
${Object.entries(ZADIG_CONNECTIONS)
  .map(([api, name]) => `  ${name}:\n    vendor: zadig\n    api: "${api}"\n    url: ${ZADIG_URL}\n    token: \${ZADIG_TOKEN}\n    repositories: ["Codertocat/*"]`)
  .join("\n")}
tracker:
  poll_initial_seconds: 5
  poll_max_seconds: 60
  default_timeout_minutes: 60
`;

const BLOCKS: Record<ZadigApiName, string> = {
  openapi: `{ project: proxy, workflow: build-deploy, codehost: github, jobs: [{ type: zadig-build, name: build, registry: registry.example.com/proxy, services: [{ service_name: service1, service_module: service1 }] }] }`,
  "v1.7": `{ project: proxy, workflow: proxy-workflow-dev, codehost_id: 3, env: dev, services: [{ service_name: service1, service_module: service1 }] }`,
  "pipeline-v2": `{ project: spock-kube, pipeline: test-pipeline, codehost_id: 3 }`,
};

/** `.github/pipelines.yml` with one pipeline `build` on the flavour's connection. */
export function zadigRepoConfig(api: ZadigApiName): string {
  return `pipelines:
  - name: build
    connection: ${ZADIG_CONNECTIONS[api]}
    zadig: ${BLOCKS[api]}
    on:
      push: { branches: [master] }
      pull_request: { branches: [master] }
    variables: { DEPLOY_ENV: staging }
    tests: { threshold: 90 }
`;
}

/** Repo, branch, PR and commit as a start body carries them, whatever the flavour. */
export function startedCode(api: ZadigApiName, body: any) {
  const repo =
    api === "openapi" ? body.inputs[0].parameters.service_list[0].repo_info[0] : api === "v1.7" ? body.targets[0].build.repos[0] : body.builds[0];
  return {
    owner: repo.repo_namespace ?? repo.repo_owner,
    repo: repo.repo_name,
    branch: repo.branch,
    pr: repo.pr,
    commit: repo.commit_id,
  };
}

/** The start body's variables as a plain map, whatever the flavour. */
export function startedVariables(api: ZadigApiName, body: any): Record<string, string> {
  const list: Array<{ key?: string; name?: string; value: string }> = api === "openapi" ? body.parameters : api === "v1.7" ? body.targets[0].envs : body.build_args;
  return Object.fromEntries(list.map((entry) => [entry.key ?? entry.name, entry.value]));
}
