import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import nock from "nock";
import { parse as parseYaml } from "yaml";
import { getRepoConfigSchema } from "../../src/config/repo-config.js";
import { readStoredRequest } from "../../src/runs/stored-request.js";
import { configFixture } from "../helpers/fixtures.js";
import { githubApi, githubRequests } from "../helpers/github-api.js";
import { gitlabApi } from "../helpers/gitlab-api.js";
import { createTestRelay, DEFAULT_OPERATOR_YAML, type TestRelay } from "../helpers/relay.js";
import { startResultsServer } from "../helpers/results-server.js";
import { pushPayload } from "../helpers/webhooks.js";

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const OPERATOR = `${DEFAULT_OPERATOR_YAML}
results:
  public_url: https://relay.example.com
  max_upload_mb: 1
  wait_minutes: 10
  token_grace_minutes: 30
`;
const junit = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/junit/${name}.xml`, import.meta.url)), "utf8");

beforeAll(() => nock.enableNetConnect("127.0.0.1"));


/** A push whose GitLab pipeline 61 was started; returns the upload URL path and token handed to it. */
async function startedRun(t: TestRelay): Promise<{ path: string; token: string }> {
  let variables: Array<{ key: string; value: string }> = [];
  githubApi().hasConfig(configFixture("gitlab")).createsCheck(1401);
  gitlabApi().createsPipeline(61, SHA, (body) => (variables = body.variables));
  await t.receive("push", pushPayload());
  const url = variables.find((v) => v.key === "RELAY_RESULTS_URL")!.value;
  const token = variables.find((v) => v.key === "RELAY_RESULTS_TOKEN")!.value;
  expect(url).toBe("https://relay.example.com/pipeline-relay/runs/1/results");
  return { path: new URL(url).pathname, token };
}

describe("test results uploaded to pipeline-relay", () => {
  let t: TestRelay;
  let server: Awaited<ReturnType<typeof startResultsServer>>;
  const upload = (path: string, token: string, body: string | Buffer, type = "application/xml") =>
    fetch(`${server.base}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": type }, body });

  beforeEach(async () => {
    t = await createTestRelay({ operatorYaml: OPERATOR });
    server = await startResultsServer(t.relay);
  });
  afterEach(() => server.close());

  it("several JUnit uploads add up and decide the threshold; failed tests are listed and annotated", async () => {
    const { path, token } = await startedRun(t);
    expect((await upload(path, token, junit("pytest"))).status).toBe(202);
    const second = await upload(path, token, junit("go-junit-report"));
    expect(await second.json()).toEqual({ run: 1, accepted: { total: 3, passed: 2, failed: 1, skipped: 0, errored: 0 } });

    gitlabApi().reportsPipeline(61, "success", SHA);
    githubApi().holdsAnnotations(1401).updatesCheck(1401, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "failure" });
      expect(body.output!.title).toBe("Tests failed the threshold: pass rate 57.14% is below the threshold of 90%");
      expect(body.output!.summary).toContain("| 8 | 4 | 2 | 1 | 1 | 57.14% | 90% |");
      expect(body.output!.summary).toContain("Source: uploaded test results (2 uploads).");
      expect(body.output!.summary).toContain("- `pytest` › **test_status** (tests/test_api.py:9): AssertionError: assert 500 == 200");
      expect((body.output as any).annotations).toEqual([
        { path: "tests/test_api.py", start_line: 9, end_line: 9, annotation_level: "failure", title: "Failed: test_status", message: "AssertionError: assert 500 == 200" },
        { path: "tests/test_api.py", start_line: 14, end_line: 14, annotation_level: "failure", title: "Error: test_db", message: 'failed on setup with "ConnectionError: refused"' },
      ]);
    });
    await t.poll();
    expect(JSON.stringify(githubRequests)).not.toContain(token);
  });

  it("a JSON summary meets the threshold", async () => {
    const { path, token } = await startedRun(t);
    const accepted = await upload(path, token, JSON.stringify({ total: 100, passed: 95, failed: 3, skipped: 2 }), "application/json");
    expect(accepted.status).toBe(202);
    gitlabApi().reportsPipeline(61, "success", SHA);
    githubApi().updatesCheck(1401, (body) => expect(body).toMatchObject({ conclusion: "success", output: { title: "Passed (tests 96.93%)" } }));
    await t.poll();
  });

  it("a green run waits for results; an upload that arrives during the wait concludes it at once", async () => {
    const { path, token } = await startedRun(t);
    gitlabApi().reportsPipeline(61, "success", SHA).hasTestSummary(61, { count: 0, success: 0, failed: 0, skipped: 0, error: 0 });
    githubApi().updatesCheck(1401, (body) => expect(body).toMatchObject({ status: "in_progress", output: { title: "Waiting for test results" } }));
    await t.poll();

    const concluded = githubApi().updatesCheck(1401, (body) => expect(body).toMatchObject({ conclusion: "success", output: { title: "Passed (tests 100%)" } }));
    expect((await upload(path, token, JSON.stringify({ total: 5, passed: 5, failed: 0, skipped: 0 }), "application/json")).status).toBe(202);
    // The upload is answered first and makes the run due at once; the engine concludes it.
    await t.relay.runUntilIdle();
    expect(concluded.scope.isDone()).toBe(true);
  });

  it("without an upload the wait ends in failure: no test results received", async () => {
    await startedRun(t);
    gitlabApi().reportsPipeline(61, "success", SHA).hasTestSummary(61, { count: 0, success: 0, failed: 0, skipped: 0, error: 0 });
    githubApi().updatesCheck(1401, (body) => expect(body.status).toBe("in_progress"));
    await t.poll();
    t.advance(11 * 60_000);
    githubApi().updatesCheck(1401, (body) => {
      expect(body.conclusion).toBe("failure");
      expect(body.output!.title).toContain("no test results received within 10 minutes");
    });
    await t.relay.runUntilIdle();
  });

  it.each([
    ["a wrong token", (p: string) => upload(p, "prr_wrong", junit("pytest")), 401, { error: "invalid or expired token" }],
    ["no token", (p: string) => fetch(`${server.base}${p}`, { method: "POST", body: "x" }), 401, { error: "invalid or expired token" }],
    ["an unknown run", (_p: string, token: string) => upload("/pipeline-relay/runs/999/results", token, junit("pytest")), 404, { error: "no such run" }],
    ["malformed XML", (p: string, token: string) => upload(p, token, "<testsuite><testcase></testsuite>"), 400, { error: expect.stringContaining("not well-formed XML") }],
    ["a JSON body that is not a summary", (p: string, token: string) => upload(p, token, '{"total":"many"}', "application/json"), 400, { error: expect.stringContaining("total") }],
    ["a body over the cap", (p: string, token: string) => upload(p, token, Buffer.alloc(1024 * 1024 + 10, 60)), 413, { error: "the body is larger than 1 MB" }],
    ["a GET", (p: string) => fetch(`${server.base}${p}`), 405, { error: "use POST" }],
  ])("refuses %s and changes nothing", async (_name, send, status, body) => {
    const { path, token } = await startedRun(t);
    const response = await send(path, token);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual(body);
    expect(await t.store.resultsFor(1)).toEqual([]);
  });

  it("refuses a streamed body over the cap without a content-length", async () => {
    const { path, token } = await startedRun(t);
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(100 * 1024));
        controller.close();
      },
    });
    const response = await fetch(`${server.base}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: chunks, duplex: "half" } as RequestInit);
    expect(response.status).toBe(413);
    expect(await t.store.resultsFor(1)).toEqual([]);
  });

  it("a token expires a grace period after the run ended", async () => {
    const { path, token } = await startedRun(t);
    gitlabApi().reportsPipeline(61, "failed", SHA).hasFailedJobs(61, [], "");
    githubApi().updatesCheck(1401);
    await t.poll();
    t.advance(31 * 60_000);
    expect((await upload(path, token, junit("pytest"))).status).toBe(401);
  });

  it("after a native retry, uploads with the first attempt's URL and token count for the retried run", async () => {
    const { path, token } = await startedRun(t);
    gitlabApi().reportsPipeline(61, "failed", SHA).hasFailedJobs(61, [], "");
    githubApi().updatesCheck(1401, (body) => expect(body.conclusion).toBe("failure"));
    await t.poll();

    // What `/retry` does after the permission check: GitLab re-runs pipeline 61 as attempt 2.
    githubApi().createsCheck(1402);
    gitlabApi().retries(61);
    const [failed] = await t.store.runsForCommit("Codertocat", "Hello-World", SHA);
    const pipeline = getRepoConfigSchema().parse(parseYaml(configFixture("gitlab"))).pipelines[0]!;
    await t.relay.runs.retry(failed!, pipeline, { ...readStoredRequest(failed!).trigger, event: "comment" });
    await t.relay.runUntilIdle();

    expect((await upload(path, token, JSON.stringify({ total: 4, passed: 4, failed: 0, skipped: 0 }), "application/json")).status).toBe(202);
    expect(await t.store.resultsFor(2)).toHaveLength(1);
    gitlabApi().reportsPipeline(61, "success", SHA);
    githubApi().updatesCheck(1402, (body) => expect(body).toMatchObject({ conclusion: "success", output: { title: "Passed (tests 100%)" } }));
    await t.poll();
  });

  it("stores only a hash of the token", async () => {
    const { token } = await startedRun(t);
    const run = await t.store.getRun(1);
    expect(JSON.stringify(run)).not.toContain(token);
    expect(run!.resultsTokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("sends more than 50 annotations in batches of 50", async () => {
    const { path, token } = await startedRun(t);
    const cases = Array.from({ length: 120 }, (_, i) => `<testcase name="t${i}" file="src/f${i}.ts" line="${i + 1}"><failure message="boom ${i}"/></testcase>`).join("");
    expect((await upload(path, token, `<testsuite name="many">${cases}</testsuite>`)).status).toBe(202);
    gitlabApi().reportsPipeline(61, "success", SHA);
    const sizes: number[] = [];
    githubApi()
      .holdsAnnotations(1401)
      .updatesCheck(1401, (body) => sizes.push((body.output as any).annotations.length))
      .updatesCheck(1401, (body) => sizes.push((body.output as any).annotations.length))
      .updatesCheck(1401, (body) => sizes.push((body.output as any).annotations.length));
    await t.poll();
    expect(sizes).toEqual([50, 50, 20]);
  });
});

it("an upload stored before a restart is used after it", async () => {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { SqliteStore } = await import("../../src/storage/sqlite-store.js");
  const file = join(mkdtempSync(join(tmpdir(), "relay-results-")), "relay.sqlite");
  const before = await createTestRelay({ operatorYaml: OPERATOR, store: new SqliteStore(file) });
  const server = await startResultsServer(before.relay);
  const { path, token } = await startedRun(before);
  const response = await fetch(`${server.base}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ total: 10, passed: 10, failed: 0, skipped: 0 }),
  });
  expect(response.status).toBe(202);
  await server.close();
  before.store.close();

  const after = await createTestRelay({ operatorYaml: OPERATOR, store: new SqliteStore(file), startAt: before.now() });
  gitlabApi().reportsPipeline(61, "success", SHA);
  githubApi().updatesCheck(1401, (body) => expect(body).toMatchObject({ conclusion: "success", output: { title: "Passed (tests 100%)" } }));
  await after.poll();
});
