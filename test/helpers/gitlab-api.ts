import nock from "nock";
import { checked } from "./github-api.js";
import { gitlabFixture } from "./fixtures.js";

export const GITLAB_URL = "https://gitlab.example.com";
const PROJECT = "/api/v4/projects/acme%2Fbackend";

/** Fluent nock builder for GitLab's pipelines API, answering with the documented example bodies. */
export function gitlabApi(project = PROJECT) {
  const scope = nock(GITLAB_URL);
  const api = {
    scope,
    createsPipeline(id: number, sha: string, expect?: (body: any) => void) {
      scope.post(`${project}/pipeline`, (body) => checked(expect, body)).reply(201, { ...gitlabFixture("pipeline_create"), id, sha, web_url: `${GITLAB_URL}/acme/backend/-/pipelines/${id}` });
      return api;
    },
    failsToCreate(status: number, body: unknown, times = 1) {
      scope.post(`${project}/pipeline`).times(times).reply(status, body as nock.Body);
      return api;
    },
    /** The pipelines list findRun reads after a lost create: these pipelines of the ref, newest first. */
    listsPipelines(pipelines: Array<{ id: number; sha: string }>) {
      const now = new Date().toISOString();
      const body = pipelines.map(({ id, sha }) => ({ id, iid: id, project_id: 1, sha, ref: "master", status: "pending", source: "api", created_at: now, updated_at: now, web_url: `${GITLAB_URL}/acme/backend/-/pipelines/${id}` }));
      scope.get(`${project}/pipelines`).query(true).reply(200, body);
      return api;
    },
    /** A pipeline's variables (findRun matches RELAY_RUN_ID). */
    hasVariables(id: number, variables: Record<string, string>) {
      scope.get(`${project}/pipelines/${id}/variables`).reply(200, Object.entries(variables).map(([key, value]) => ({ key, value, variable_type: "env_var" })));
      return api;
    },
    reportsPipeline(id: number, status: string, sha: string) {
      scope.get(`${project}/pipelines/${id}`).reply(200, { ...gitlabFixture("pipeline_get.success"), id, status, sha, web_url: `${GITLAB_URL}/acme/backend/-/pipelines/${id}` });
      return api;
    },
    /** Answers the poll only after `meanwhile` has run: something that happens while the poll is in flight. */
    reportsPipelineAfter(id: number, status: string, sha: string, meanwhile: () => Promise<unknown>) {
      scope.get(`${project}/pipelines/${id}`).reply(async () => {
        await meanwhile();
        return [200, { ...gitlabFixture("pipeline_get.success"), id, status, sha, web_url: `${GITLAB_URL}/acme/backend/-/pipelines/${id}` }];
      });
      return api;
    },
    failsToReport(id: number, status: number, body: unknown) {
      scope.get(`${project}/pipelines/${id}`).reply(status, body as nock.Body);
      return api;
    },
    hasTestSummary(id: number, counts?: { count: number; success: number; failed: number; skipped: number; error: number }) {
      const body = gitlabFixture("test_report_summary");
      if (counts) body.total = { ...body.total, ...counts };
      scope.get(`${project}/pipelines/${id}/test_report_summary`).reply(200, body);
      return api.hasNoTestReport(id);
    },
    /** The pipeline's jobs (the job table lists them all, 100 per page) and the first one's trace. */
    hasFailedJobs(id: number, jobs: Array<{ id: number; name: string; stage: string }>, trace: string) {
      scope.get(`${project}/pipelines/${id}/jobs`).query({ per_page: "100" }).reply(200, jobs.map((job) => ({ ...job, status: "failed" })));
      if (jobs[0]) scope.get(`${project}/jobs/${jobs[0].id}/trace`).reply(200, trace, { "content-type": "text/plain" });
      return api.hasNoTestReport(id);
    },
    /** The full test report (read for flaky tests when nothing was uploaded): none, as before GitLab 13.x or without reports. */
    hasNoTestReport(id: number) {
      scope.get(`${project}/pipelines/${id}/test_report`).optionally().reply(404, { message: "404 Not found" });
      return api;
    },
    /** The documented test report body with this pipeline's test cases. */
    hasTestReport(id: number, suites: Array<{ name: string; cases: Array<[name: string, status: string]> }>) {
      const body = gitlabFixture<any>("test_report");
      body.test_suites = suites.map((suite) => ({
        ...body.test_suites[0],
        name: suite.name,
        test_cases: suite.cases.map(([name, status]) => ({ ...body.test_suites[0].test_cases[0], name, status })),
      }));
      scope.get(`${project}/pipelines/${id}/test_report`).reply(200, body);
      return api;
    },
    cancels(id: number) {
      scope.post(`${project}/pipelines/${id}/cancel`).reply(200, { ...gitlabFixture("pipeline_cancel"), id });
      return api;
    },
    retries(id: number) {
      scope.post(`${project}/pipelines/${id}/retry`).reply(201, { ...gitlabFixture("pipeline_retry"), id });
      return api;
    },
  };
  return api;
}
