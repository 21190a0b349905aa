import { CENTRAL_WEB_URL, checkWebUrlTemplate, renderWebUrl } from "../../../../src/vendors/yunxiao/web-url.js";

describe("web_url template", () => {
  it.each([
    [CENTRAL_WEB_URL, "123", "7", "https://flow.aliyun.com/pipelines/123/builds/7"],
    ["https://devops.example.com/flow/{pipelineId}?build={runId}", "123", "7", "https://devops.example.com/flow/123?build=7"],
    ["https://x.example.com/{runId}/{runId}", "1", "9", "https://x.example.com/9/9"],
    ["https://x.example.com/p/{pipelineId}/r/{runId}", "a/b", "7", "https://x.example.com/p/a%2Fb/r/7"],
  ])("%s with pipeline %s, run %s → %s", (template, pipelineId, runId, url) => {
    expect(checkWebUrlTemplate(template)).toBeUndefined();
    expect(renderWebUrl(template, { pipelineId, runId })).toBe(url);
  });

  it.each([
    ["https://x.example.com/{pipeline}/{runId}", "unknown placeholder {pipeline}"],
    ["https://x.example.com/{pipelineId}", "must contain {runId}"],
    ["/pipelines/{pipelineId}/builds/{runId}", "must be an absolute http(s) URL"],
    ["javascript:alert({runId})", "must be an http(s) URL"],
  ])("refuses %s", (template, problem) => {
    expect(checkWebUrlTemplate(template)).toContain(problem);
  });
});
