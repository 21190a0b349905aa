import nock from "nock";
import { ProbotOctokit } from "probot";
import { PublishCheckError, publishReport, type ReportTarget } from "../../../src/github/publish-report.js";
import type { CheckView } from "../../../src/reporting/render-report.js";
import type { CheckAnnotation } from "../../../src/reporting/render-tests.js";
import { SecretMasker } from "../../../src/secrets.js";
import { REPO, webhookExample } from "../../helpers/webhooks.js";

/**
 * Octokit as the app builds it, with the retry plugin on (and fast), so a test proves that the create is not
 * re-sent by the plugin rather than by a plugin that is switched off. Throttling is off: it only paces.
 */
const TestOctokit = ProbotOctokit.defaults({ retry: { retryAfterBaseValue: 1 }, throttle: { enabled: false } });
const octokit = () => new TestOctokit({ auth: { token: "installation-token" } });

const REPO_PATH = `/repos/${REPO.owner}/${REPO.repo}`;
const SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const NAME = "pipeline-relay/build";
const RUN_ID = "42";
const masker = new SecretMasker();
const running: CheckView = { status: "in_progress", title: "Running on GitLab CI", summary: "pipeline 7" };

function target(overrides: Partial<ReportTarget> = {}): ReportTarget {
  return { owner: REPO.owner, repo: REPO.repo, sha: SHA, name: NAME, mode: "checks", checkRunId: null, externalId: RUN_ID, ...overrides };
}

/** A check run as GitHub lists it, shaped from @octokit/webhooks-examples' check_run. */
function checkRun(id: number, externalId: string, status = "queued", annotationsCount = 0): Record<string, unknown> {
  const example = webhookExample("check_run").check_run;
  return { ...example, id, name: NAME, head_sha: SHA, external_id: externalId, status, output: { ...example.output, annotations_count: annotationsCount } };
}

function listsCheckRuns(scope: nock.Scope, runs: unknown[]): nock.Scope {
  return scope
    .get(`${REPO_PATH}/commits/${SHA}/check-runs`)
    .query({ check_name: NAME, filter: "all", per_page: "100" })
    .reply(200, { total_count: runs.length, check_runs: runs });
}

function annotations(count: number): CheckAnnotation[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `src/file${i}.ts`,
    start_line: 1,
    end_line: 1,
    annotation_level: "failure" as const,
    title: `test ${i}`,
    message: `failed ${i}`,
  }));
}

async function failure(promise: Promise<unknown>): Promise<PublishCheckError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PublishCheckError);
  return error as PublishCheckError;
}

describe("publishReport: check-run creates are never duplicated", () => {
  test("a create whose answer is lost is not re-sent; the next publish looks it up and adopts it", async () => {
    const posts: any[] = [];
    const github = nock("https://api.github.com");
    github.post(`${REPO_PATH}/check-runs`, (body) => posts.push(body) > 0).replyWithError({ code: "ECONNRESET", message: "socket hang up" });

    const lost = await failure(publishReport(octokit(), target(), running, masker));
    expect(lost.createOutcome).toBe("unknown");
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ name: NAME, head_sha: SHA, external_id: RUN_ID, status: "in_progress" });

    // The create did land on GitHub: the lookup finds it by external_id among check runs of the same name.
    listsCheckRuns(github, [checkRun(900, "41", "completed"), checkRun(901, RUN_ID)]);
    const patches: any[] = [];
    github.patch(`${REPO_PATH}/check-runs/901`, (body) => patches.push(body) > 0).reply(200, { id: 901 });

    const result = await publishReport(octokit(), target({ lookupFirst: true }), running, masker);
    expect(result).toEqual({ mode: "checks", checkRunId: 901, create: "adopted" });
    expect(patches).toEqual([expect.objectContaining({ status: "in_progress", external_id: RUN_ID, output: { title: running.title, summary: running.summary } })]);
    expect(posts).toHaveLength(1);
  });

  test("two check runs carrying our external_id: the oldest is adopted, the other completed as its duplicate", async () => {
    const github = nock("https://api.github.com");
    listsCheckRuns(github, [checkRun(702, RUN_ID), checkRun(701, RUN_ID), checkRun(650, "7", "queued")]);
    const duplicatePatch: any[] = [];
    github.patch(`${REPO_PATH}/check-runs/702`, (body) => duplicatePatch.push(body) > 0).reply(200, { id: 702 });
    const adoptedPatch: any[] = [];
    github.patch(`${REPO_PATH}/check-runs/701`, (body) => adoptedPatch.push(body) > 0).reply(200, { id: 701 });

    const result = await publishReport(octokit(), target({ lookupFirst: true }), running, masker);

    expect(result).toEqual({ mode: "checks", checkRunId: 701, create: "adopted" });
    expect(duplicatePatch).toEqual([
      expect.objectContaining({ status: "completed", conclusion: "neutral", output: expect.objectContaining({ title: "Duplicate of check run 701" }) }),
    ]);
    expect(adoptedPatch).toEqual([expect.objectContaining({ status: "in_progress" })]);
  });

  test("a check run already known: the lookup completes a duplicate that surfaced late, and keeps writing to ours", async () => {
    const github = nock("https://api.github.com");
    listsCheckRuns(github, [checkRun(801, RUN_ID, "in_progress"), checkRun(802, RUN_ID, "queued")]);
    const duplicatePatch: any[] = [];
    github.patch(`${REPO_PATH}/check-runs/802`, (body) => duplicatePatch.push(body) > 0).reply(200, { id: 802 });
    github.patch(`${REPO_PATH}/check-runs/801`).reply(200, { id: 801 });
    const done: CheckView = { status: "completed", conclusion: "success", title: "Passed", summary: "s" };

    expect(await publishReport(octokit(), target({ checkRunId: 801, lookupFirst: true }), done, masker)).toEqual({ mode: "checks", checkRunId: 801, create: "none" });
    expect(duplicatePatch).toEqual([expect.objectContaining({ conclusion: "neutral", output: expect.objectContaining({ title: "Duplicate of check run 801" }) })]);
  });

  test("lookup finds nothing: the create is sent once, with our external_id, after beforeCreate ran", async () => {
    const order: string[] = [];
    const github = nock("https://api.github.com");
    listsCheckRuns(github, [checkRun(650, "7")]);
    github.post(`${REPO_PATH}/check-runs`, (body) => order.push(`POST ${body.external_id}`) > 0).reply(201, { id: 960 });

    const result = await publishReport(octokit(), target({ lookupFirst: true, beforeCreate: () => void order.push("beforeCreate") }), running, masker);

    expect(result).toEqual({ mode: "checks", checkRunId: 960, create: "created" });
    expect(order).toEqual(["beforeCreate", `POST ${RUN_ID}`]);
  });

  test("502 on create: exactly one POST, outcome unknown (Octokit's retry plugin would otherwise re-send it)", async () => {
    let posts = 0;
    nock("https://api.github.com")
      .post(`${REPO_PATH}/check-runs`, () => ++posts > 0)
      .times(4)
      .reply(502, { message: "Server Error" });

    const error = await failure(publishReport(octokit(), target(), running, masker));
    expect(error.createOutcome).toBe("unknown");
    expect(error.status).toBe(502);
    expect(posts).toBe(1);
    nock.cleanAll(); // the three further answers stay unused: that is the point
  });

  test("the retry plugin is active in this client: a 502 on the lookup read is retried", async () => {
    const github = nock("https://api.github.com");
    github.get(`${REPO_PATH}/commits/${SHA}/check-runs`).query(true).reply(502, { message: "Server Error" });
    listsCheckRuns(github, [checkRun(901, RUN_ID)]);
    github.patch(`${REPO_PATH}/check-runs/901`).reply(200, { id: 901 });

    expect(await publishReport(octokit(), target({ lookupFirst: true }), running, masker)).toMatchObject({ checkRunId: 901, create: "adopted" });
  });

  test("422 on create is a definite refusal", async () => {
    nock("https://api.github.com").post(`${REPO_PATH}/check-runs`).reply(422, { message: "Validation Failed" });

    const error = await failure(publishReport(octokit(), target(), running, masker));
    expect(error.createOutcome).toBe("refused");
  });

  test("a failure before any create is sent says so", async () => {
    nock("https://api.github.com").get(`${REPO_PATH}/commits/${SHA}/check-runs`).query(true).reply(404, { message: "Not Found" });

    expect((await failure(publishReport(octokit(), target({ lookupFirst: true }), running, masker))).createOutcome).toBe("not-sent");
  });

  test("403 without the checks permission falls back to a commit status", async () => {
    const github = nock("https://api.github.com");
    github.post(`${REPO_PATH}/check-runs`).reply(403, { message: "Resource not accessible by integration" });
    const statuses: any[] = [];
    github.post(`${REPO_PATH}/statuses/${SHA}`, (body) => statuses.push(body) > 0).reply(201, {});

    expect(await publishReport(octokit(), target(), running, masker)).toEqual({ mode: "statuses", checkRunId: null, create: "none" });
    expect(statuses).toEqual([{ context: NAME, state: "pending", description: running.title }]);
  });

  test("a 403 rate limit is not taken for a missing permission", async () => {
    nock("https://api.github.com")
      .post(`${REPO_PATH}/check-runs`)
      .reply(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "60" });

    expect((await failure(publishReport(octokit(), target(), running, masker))).createOutcome).toBe("refused");
  });
});

describe("publishReport: annotations are sent once, however often a view is published", () => {
  const failed: CheckView = { status: "completed", conclusion: "failure", title: "3 tests failed", summary: "s", annotations: annotations(120) };

  test("a fresh create sends 50 with the create and the rest in updates of 50", async () => {
    const github = nock("https://api.github.com");
    const sent: number[][] = [];
    const indexes = (body: any) => body.output.annotations.map((a: CheckAnnotation) => Number(a.title.split(" ")[1]));
    github.post(`${REPO_PATH}/check-runs`, (body) => sent.push(indexes(body)) > 0).reply(201, { id: 5 });
    github.patch(`${REPO_PATH}/check-runs/5`, (body) => sent.push(indexes(body)) > 0).times(2).reply(200, { id: 5 });

    await publishReport(octokit(), target(), failed, masker);

    expect(sent.map((batch) => [batch[0], batch.length])).toEqual([[0, 50], [50, 50], [100, 20]]);
  });

  test("a repeat after a partial send continues from the check run's annotations_count", async () => {
    const github = nock("https://api.github.com");
    github.get(`${REPO_PATH}/check-runs/5`).reply(200, checkRun(5, RUN_ID, "in_progress", 100));
    const sent: any[] = [];
    github.patch(`${REPO_PATH}/check-runs/5`, (body) => sent.push(body) > 0).reply(200, { id: 5 });

    await publishReport(octokit(), target({ checkRunId: 5 }), failed, masker);

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(sent[0].output.annotations.map((a: CheckAnnotation) => a.title)).toEqual(annotations(120).slice(100).map((a) => a.title));
  });

  test("an adopted check run that already holds all annotations gets none again", async () => {
    const github = nock("https://api.github.com");
    listsCheckRuns(github, [checkRun(901, RUN_ID, "in_progress", 120)]);
    const sent: any[] = [];
    github.patch(`${REPO_PATH}/check-runs/901`, (body) => sent.push(body) > 0).reply(200, { id: 901 });

    await publishReport(octokit(), target({ lookupFirst: true }), failed, masker);

    expect(sent).toEqual([expect.objectContaining({ output: { title: failed.title, summary: failed.summary } })]);
  });
});
