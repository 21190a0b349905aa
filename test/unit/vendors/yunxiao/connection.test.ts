import { flowPaths, resolveConnection, type ResolvedConnection } from "../../../../src/vendors/yunxiao/connection.js";
import { yunxiaoConnection, yunxiaoTarget } from "../../../../src/vendors/yunxiao/schema.js";

const parse = (fields: Record<string, unknown>) => yunxiaoConnection.parse({ token: "pt-x", ...fields });

describe("yunxiao connection per edition", () => {
  it.each<[string, Record<string, unknown>, ResolvedConnection]>([
    [
      "central with defaults",
      { organization_id: "5ebbc0228123212b59aaaaa" },
      {
        ok: true,
        settings: {
          edition: "central",
          baseUrl: "https://openapi-rdc.aliyuncs.com",
          prefix: "/oapi/v1/flow/organizations/5ebbc0228123212b59aaaaa",
          webUrlTemplate: "https://flow.aliyun.com/pipelines/{pipelineId}/builds/{runId}",
          stop: "run",
        },
      },
    ],
    [
      "region with its own domain, no organization in paths, no default web link",
      { edition: "region", url: "https://devops.example.com/", stop: "jobs" },
      { ok: true, settings: { edition: "region", baseUrl: "https://devops.example.com", prefix: "/oapi/v1/flow", webUrlTemplate: undefined, stop: "jobs" } },
    ],
    [
      "central missing organization_id",
      {},
      { ok: false, problems: [expect.stringContaining("organization_id is required for edition: central")] as unknown as string[] },
    ],
    [
      "region with organization_id and without url",
      { edition: "region", organization_id: "5ebb" },
      {
        ok: false,
        problems: [expect.stringContaining("organization_id is not used by edition: region"), expect.stringContaining("url is required for edition: region")] as unknown as string[],
      },
    ],
  ])("%s", (_name, fields, expected) => {
    expect(resolveConnection(parse(fields))).toEqual(expected);
  });

  it.each([
    ["central", "/oapi/v1/flow/organizations/org1"],
    ["region", "/oapi/v1/flow"],
  ])("%s paths", (_edition, prefix) => {
    const paths = flowPaths(prefix);
    expect([paths.runs("123"), paths.run("123", "7"), paths.job("123", "7", "21213", "stop"), paths.job("123", "7", "21213", "retry"), paths.jobLog("123", "7", "21213")]).toEqual([
      `${prefix}/pipelines/123/runs`,
      `${prefix}/pipelines/123/runs/7`,
      `${prefix}/pipelines/123/pipelineRuns/7/jobs/21213/stop`,
      `${prefix}/pipelines/123/pipelineRuns/7/jobs/21213/retry`,
      `${prefix}/pipelines/123/runs/7/job/21213/log`,
    ]);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ edition: "cloud" }, "edition"],
    [{ url: "ftp://x" }, "url"],
    [{ organization_id: "a/b" }, "organization_id"],
    [{ stop: "pipeline" }, "stop"],
    [{ web_url: "https://flow/{pipeline}/{runId}" }, "web_url"],
  ])("refuses %j", (fields, path) => {
    const result = yunxiaoConnection.safeParse({ token: "pt-x", ...fields });
    expect(result.success ? [] : result.error.issues.map((issue) => issue.path.join("."))).toEqual([path]);
  });

  it.each<[unknown, boolean]>([
    [{ pipeline_id: 123 }, true],
    [{ pipeline_id: "123", repository_url: "https://codeup.aliyun.com/x/app.git" }, true],
    [{ pipeline_id: "abc" }, false],
    [{ pipeline_id: 0 }, false],
    [{ pipeline_id: 1, project: "x" }, false],
    [{}, false],
  ])("pipeline block %j valid: %s", (block, valid) => {
    expect(yunxiaoTarget.safeParse(block).success).toBe(valid);
  });
});
