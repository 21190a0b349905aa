import nock from "nock";
import type { GitlabTarget } from "../../../../src/vendors/gitlab/schema.js";
import type { YunxiaoTarget } from "../../../../src/vendors/yunxiao/schema.js";
import { createAdapterForTest } from "../../../helpers/adapter.js";
import { vendorFixture } from "../../../helpers/fixtures.js";
import { gitlabTestCases, testReportCases } from "../../../../src/vendors/gitlab/job-report.js";

const SECRET = "job-table-secret-9876";

describe("describeJobs over HTTP", () => {
  it("GitLab: lists the pipeline's jobs (100 per page), reads only the failed job's trace and masks secrets in it", async () => {
    const { adapter } = createAdapterForTest<GitlabTarget>(`vendor: gitlab\nurl: https://gitlab.example.com\ntoken: \${TOKEN}\nrepositories: ["*/*"]`, { TOKEN: SECRET });
    const api = nock("https://gitlab.example.com")
      .get("/api/v4/projects/42/pipelines/6/jobs")
      .query({ per_page: "100" })
      .reply(200, vendorFixture("gitlab", "pipeline_jobs"))
      .get("/api/v4/projects/42/jobs/6/trace")
      .reply(200, `curl -H "token: ${SECRET}"\nERROR: Job failed: exit code 1`, { "content-type": "text/plain" });
    const report = await adapter.describeJobs!({ runId: "6" }, { project: 42 });
    expect(api.isDone()).toBe(true);
    expect(report!.jobs.map((job) => [job.name, job.status, job.durationSeconds])).toEqual([
      ["rspec:other", "failure", 0],
      ["teaspoon", "success", 240],
    ]);
    expect(report!.jobs[0]!.logTail).toBe('curl -H "token: ***"\nERROR: Job failed: exit code 1');
    expect(report!.jobs[0]!.logExcerpt).not.toContain(SECRET);
  });

  it("Yunxiao: a job log that cannot be read leaves a note, and the table is still returned", async () => {
    const { adapter } = createAdapterForTest<YunxiaoTarget>(`vendor: yunxiao\norganization_id: org1\ntoken: \${TOKEN}\nrepositories: ["*/*"]`, { TOKEN: SECRET });
    const base = "/oapi/v1/flow/organizations/org1/pipelines/123/runs/1";
    nock("https://openapi-rdc.aliyuncs.com")
      .get(base)
      .reply(200, vendorFixture("yunxiao", "pipeline_run_get.fail"))
      .get(`${base}/job/21213/log`)
      .reply(403, vendorFixture("yunxiao", "error_403"));
    const report = await adapter.describeJobs!({ runId: "1" }, { pipeline_id: 123 });
    const failed = report!.jobs.find((job) => job.status === "failure")!;
    expect(failed.name).toBe("主机部署");
    expect(failed.logTail).toBeUndefined();
    expect(failed.logNote).toMatch(/^the log could not be read: /);
  });
});

describe("GitLab test cases for flaky tests", () => {
  it("reads failed, errored and passed cases from the documented test report, bounded", () => {
    const report = testReportCases.parse(vendorFixture("gitlab", "test_report.with_errors"));
    expect(gitlabTestCases(report, { failed: 500, passed: 5000 })).toEqual({
      failed: [
        { suite: "Failing", name: "Error testcase 1" },
        { suite: "Failing", name: "Error testcase 2" },
        { suite: "Failing", name: "Error testcase 3" },
      ],
      passed: [
        { suite: "Failing", name: "Succes full testcase" },
        { suite: "Succes suite", name: "Succesfull testcase" },
      ],
    });
    expect(gitlabTestCases(report, { failed: 1, passed: 0 })).toEqual({ failed: [{ suite: "Failing", name: "Error testcase 1" }], passed: [] });
  });
});
