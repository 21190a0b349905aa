import { githubWriteKind, instrumentGitHubClient, type OctokitHooks } from "../../../src/operator/github-metrics.js";
import { RelayMetrics } from "../../../src/operator/metrics.js";

describe("GitHub write metrics", () => {
  it.each([
    ["POST", "/repos/{owner}/{repo}/check-runs", "check_create"],
    ["PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", "check_update"],
    ["POST", "/repos/{owner}/{repo}/statuses/{sha}", "status"],
    ["POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", "comment"],
    ["POST", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", "reaction"],
    ["GET", "/repos/{owner}/{repo}/check-runs/{check_run_id}", undefined],
    ["POST", "/app/installations/{installation_id}/access_tokens", undefined],
  ])("%s %s is %s", (method, url, kind) => {
    expect(githubWriteKind(method, url)).toBe(kind);
  });

  it("counts writes and records the rate limit from an Octokit client's hooks", async () => {
    const after: Array<Parameters<OctokitHooks["after"]>[1]> = [];
    const onError: Array<Parameters<OctokitHooks["error"]>[1]> = [];
    const hooks: OctokitHooks = { after: (_name, hook) => after.push(hook), error: (_name, hook) => onError.push(hook) };
    const metrics = new RelayMetrics({ processMetrics: false });
    instrumentGitHubClient(hooks, metrics, 7);

    after[0]!({ headers: { "x-ratelimit-remaining": "4321" } }, { method: "POST", url: "/repos/{owner}/{repo}/check-runs" });
    after[0]!({ headers: { "x-ratelimit-remaining": "4320" } }, { method: "GET", url: "/repos/{owner}/{repo}/pulls/{pull_number}/files" });
    const limited = Object.assign(new Error("rate limited"), { status: 403, response: { headers: { "x-ratelimit-remaining": "0" } } });
    expect(() => onError[0]!(limited, { method: "PATCH", url: "/repos/{owner}/{repo}/check-runs/{check_run_id}" })).toThrow(limited);

    const text = await metrics.render();
    expect(text).toContain('pipeline_relay_github_writes_total{kind="check_create",outcome="ok"} 1');
    expect(text).toContain('pipeline_relay_github_writes_total{kind="check_update",outcome="rate_limited"} 1');
    expect(text).toContain('pipeline_relay_github_rate_limit_remaining{installation="7"} 0');
  });
});
