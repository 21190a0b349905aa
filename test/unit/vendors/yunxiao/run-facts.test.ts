import type { PipelineRun } from "../../../../src/vendors/yunxiao/schema.js";
import { builtShaOf, encodeRetried, jobsOf, retryNotPickedUp, sameRepository } from "../../../../src/vendors/yunxiao/run-facts.js";

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const OTHER = "0000000000000000000000000000000000000abc";
const REPO = "https://github.com/Codertocat/Hello-World.git";
const run = (sources: Array<Record<string, unknown>>): PipelineRun => ({ status: "RUNNING", sources: sources.map((data) => ({ data })) });

describe("the commit Flow built", () => {
  it.each<[string, PipelineRun, { repositoryUrl?: string; sha?: string }, string | undefined]>([
    ["`commit` of our source", run([{ repo: REPO, commit: OTHER }]), { repositoryUrl: REPO, sha: SHA }, OTHER],
    ["`commitId` of our source", run([{ repo: REPO, commitId: SHA.toUpperCase() }]), { repositoryUrl: REPO, sha: SHA }, SHA],
    ["a short sha of ours is widened", run([{ repo: REPO, commit: SHA.slice(0, 8) }]), { repositoryUrl: REPO, sha: SHA }, SHA],
    ["a short sha of another commit stays short", run([{ repo: REPO, commit: "deadbeef" }]), { repositoryUrl: REPO, sha: SHA }, "deadbeef"],
    ["ours among several sources", run([{ repo: "https://codeup.aliyun.com/x/lib.git", commit: OTHER }, { repo: "https://github.com/codertocat/hello-world", commit: SHA }]), { repositoryUrl: REPO }, SHA],
    ["several sources, none ours", run([{ repo: "https://a.example/x.git", commit: OTHER }, { repo: "https://b.example/y.git", commit: OTHER }]), { repositoryUrl: REPO }, undefined],
    ["one source under another URL still tells", run([{ repo: "git@codeup.aliyun.com:x/app.git", commit: OTHER }]), { repositoryUrl: REPO }, OTHER],
    ["a handle without facts and one source", run([{ commit: OTHER }]), {}, OTHER],
    ["no commit key (the documented examples)", run([{ repo: REPO, branch: "master" }]), { repositoryUrl: REPO, sha: SHA }, undefined],
    ["a value that is not a sha", run([{ repo: REPO, commit: "master" }]), { repositoryUrl: REPO }, undefined],
    ["no sources", { status: "RUNNING" }, { repositoryUrl: REPO }, undefined],
  ])("%s", (_name, body, expected, sha) => {
    expect(builtShaOf(body, expected)).toBe(sha);
  });

  it.each([
    ["https://github.com/acme/app.git", "HTTPS://GitHub.com/acme/app/", true],
    ["https://token@github.com/acme/app.git", "https://github.com/acme/app", true],
    ["https://github.com/acme/app.git", "https://github.com/acme/app2.git", false],
  ])("%s and %s are the same repository: %s", (a, b, same) => {
    expect(sameRepository(a, b)).toBe(same);
  });
});

const failedRun = (jobStatus: string, endTime?: number, id: string | null = "21213"): PipelineRun => ({
  status: "FAIL",
  stages: [
    { name: "构建", stageInfo: { name: "Java构建", status: "SUCCESS", jobs: [{ id: "21212", name: "Java构建", status: "SUCCESS", endTime: 10 }] } },
    { name: "部署", stageInfo: { status: jobStatus, jobs: [{ id, name: "主机部署", status: jobStatus, endTime }] } },
  ],
});

describe("jobs of a run", () => {
  it("lists jobs in stage order with their stage names", () => {
    expect(jobsOf(failedRun("FAIL", 50))).toEqual([
      { id: "21212", name: "Java构建", stage: "Java构建", status: "SUCCESS", endTime: 10 },
      { id: "21213", name: "主机部署", stage: "部署", status: "FAIL", endTime: 50 },
    ]);
  });

  it.each<[string, PipelineRun, string | undefined, string[]]>([
    ["the retried job still shows its old failure", failedRun("FAIL", 50), "21213@50", ["主机部署"]],
    ["the retried job failed again later", failedRun("FAIL", 90), "21213@50", []],
    ["the retried job runs", failedRun("RUNNING"), "21213@50", []],
    ["Flow replaced the job (new id)", failedRun("FAIL", 50, "30000"), "21213@50", []],
    ["a job without end time, unchanged", failedRun("FAIL"), "21213@", ["主机部署"]],
    ["no retry was asked", failedRun("FAIL", 50), undefined, []],
  ])("%s", (_name, body, retried, stale) => {
    expect(retryNotPickedUp(body, retried).map((job) => job.name)).toEqual(stale);
  });

  it("encodes retried jobs with their end times", () => {
    expect(encodeRetried(jobsOf(failedRun("FAIL", 50)))).toBe("21212@10,21213@50");
  });
});
