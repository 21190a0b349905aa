import nock from "nock";
import { createTestRelay } from "../helpers/relay.js";
import { githubApi, githubRequests } from "../helpers/github-api.js";
import { GITLAB_URL, gitlabApi } from "../helpers/gitlab-api.js";
import { vendorFixture } from "../helpers/fixtures.js";
import { pushPayload } from "../helpers/webhooks.js";

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const PROJECT = "/api/v4/projects/acme%2Fbackend";

/** The gitlab fixture pipeline with a problem matcher for ESLint's `unix` formatter, whose paths are absolute. */
const CONFIG = `
pipelines:
  - name: backend
    connection: corp-gitlab
    gitlab: { project: acme/backend }
    on:
      push: { branches: [master] }
    annotations:
      - pattern: '^(?:/builds/[^/]+/[^/]+/)?(?<file>[^:]+):(?<line>\\d+):\\d+: (?<message>.+) \\[(?<level>Error|Warning)/(?<title>[^\\]]+)\\]$'
`;

/** What a GitLab job running `npx eslint --format unix .` prints: 120 problems (more than two requests' worth). */
function eslintJobLog(): string {
  const problems = Array.from({ length: 120 }, (_, i) => {
    const level = i % 4 === 0 ? "Warning" : "Error";
    return `/builds/acme/backend/src/module${Math.floor(i / 10)}.ts:${i + 1}:7: 'value${i}' is defined but never used. [${level}/no-unused-vars]`;
  });
  return [
    "\u001b[0KRunning with gitlab-runner 16.5.0 (853330f9)\u001b[0;m",
    "section_start:1700000000:step_script\r\u001b[0K\u001b[0K\u001b[36;1mExecuting \"step_script\" stage of the job script\u001b[0;m",
    "$ npx eslint --format unix .",
    ...problems,
    "",
    "120 problems",
    "section_end:1700000060:step_script\r\u001b[0K\u001b[31;1mERROR: Job failed: exit code 1\u001b[0;m",
  ].join("\n");
}

describe("annotations from a failed job's log", () => {
  it("turns 120 matching lines into annotations, sent 50 per request after the check's update", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(CONFIG).createsCheck(501);
    gitlabApi().createsPipeline(61, SHA);
    await t.receive("push", pushPayload());

    const [lint, unit] = vendorFixture<any[]>("gitlab", "pipeline_jobs");
    gitlabApi().reportsPipeline(61, "failed", SHA);
    nock(GITLAB_URL)
      .get(`${PROJECT}/pipelines/61/jobs`)
      .query({ per_page: "100" })
      .reply(200, [{ ...lint, id: 70, name: "eslint", stage: "lint" }, unit])
      .get(`${PROJECT}/jobs/70/trace`)
      .reply(200, eslintJobLog(), { "content-type": "text/plain" })
      .get(`${PROJECT}/pipelines/61/test_report`)
      .reply(404, { message: "404 Not found" });
    githubApi()
      .holdsAnnotations(501, 0)
      .updatesCheck(501, (body) => {
        expect(body).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "1 job failed" } });
        expect(body.output!.summary).toContain("120 annotations were made from log lines matching the pipeline's `annotations:` patterns.");
        expect(body.output!.summary).toContain("#### Last lines of `eslint` (lint)");
        expect(body.output!.summary).toContain("ERROR: Job failed: exit code 1");
      })
      .updatesCheck(501)
      .updatesCheck(501);
    await t.poll();

    const writes = githubRequests.filter((request) => request.path === "check-runs/501");
    const batches = writes.map((write) => write.body.output.annotations ?? []);
    expect(batches.map((batch) => batch.length)).toEqual([50, 50, 20]);
    const all = batches.flat();
    expect(all[0]).toEqual({
      path: "src/module0.ts",
      start_line: 1,
      end_line: 1,
      annotation_level: "warning",
      title: "no-unused-vars",
      message: "'value0' is defined but never used.",
    });
    expect(all[119]).toMatchObject({ path: "src/module11.ts", start_line: 120, annotation_level: "failure" });
    expect(new Set(all.map((a: any) => `${a.path}:${a.start_line}`)).size).toBe(120);
  });
});
