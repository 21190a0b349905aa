import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { configFixture } from "../helpers/fixtures.js";
import { githubApi } from "../helpers/github-api.js";
import { GITLAB_URL, gitlabApi } from "../helpers/gitlab-api.js";
import { createTestRelay } from "../helpers/relay.js";
import { pushPayload } from "../helpers/webhooks.js";

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const databaseFile = () => join(mkdtempSync(join(tmpdir(), "relay-db-")), "relay.sqlite");

describe("nothing is lost or done twice", () => {
  it("a redelivered webhook (same delivery id) triggers nothing the second time", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(1001);
    gitlabApi().createsPipeline(61, SHA);
    await t.receive("push", pushPayload(), "delivery-fixed");
    await t.receive("push", pushPayload(), "delivery-fixed");
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", SHA)).toHaveLength(1);
    expect(t.logs.some((line) => line.includes("redelivered webhook ignored"))).toBe(true);
  });

  it("an event stored before a crash is handled after the restart", async () => {
    const file = databaseFile();
    const before = await createTestRelay({ store: new SqliteStore(file) });
    await before.deliver("push", pushPayload()); // answered, then the process dies
    before.store.close();

    const after = await createTestRelay({ store: new SqliteStore(file) });
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(1002);
    gitlabApi().createsPipeline(61, SHA);
    expect(await after.relay.runUntilIdle()).toBeGreaterThan(0);
    expect(await after.store.pendingEventCount()).toBe(0);
  });

  it("the tracker resumes a run after a restart and finishes it", async () => {
    const file = databaseFile();
    const before = await createTestRelay({ store: new SqliteStore(file) });
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(1003);
    gitlabApi().createsPipeline(61, SHA);
    await before.receive("push", pushPayload());
    before.store.close();

    const after = await createTestRelay({ store: new SqliteStore(file), startAt: before.now() });
    gitlabApi().reportsPipeline(61, "success", SHA).hasTestSummary(61);
    githubApi().updatesCheck(1003, (body) => expect(body.conclusion).toBe("success"));
    expect(await after.poll()).toBe(2); // one poll, one GitHub write
  });

  it("a crash after GitLab created the pipeline but before its id was stored: the pipeline is found by RELAY_RUN_ID and adopted", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(1004);
    gitlabApi().createsPipeline(61, SHA);
    await t.receive("push", pushPayload());
    // What a kill -9 between the vendor's answer and the stored answer leaves: `starting`, no vendor run, a lease.
    await t.store.updateRun(1, { state: "starting", vendorRunId: null, webUrl: null, view: null, viewKey: null, reported: null }, t.now());

    gitlabApi().listsPipelines([{ id: 61, sha: SHA }]).hasVariables(61, { RELAY_RUN_ID: "1" });
    githubApi().updatesCheck(1004, (body) => expect(body.details_url).toBe(`${GITLAB_URL}/acme/backend/-/pipelines/61`));
    t.advance(2 * 60_000); // past the trigger's lease
    await t.relay.runUntilIdle();
    expect(await t.store.getRun(1)).toMatchObject({ state: "queued", vendorRunId: "61" });
  });

  it("a crash between a run's row and its request: handling the event again completes the row and the pipeline starts once", async () => {
    const t = await createTestRelay();
    // What a kill -9 right after the insert leaves: the row for this commit and pipeline, no request yet.
    await t.store.createRun({
      installationId: 1, owner: "Codertocat", repo: "Hello-World", sha: SHA, pipeline: "backend", ref: "master", attempt: 1,
      triggerKey: `Codertocat/Hello-World@${SHA}#backend`, vendor: "gitlab", connection: "corp-gitlab", request: "{}", prNumber: null,
      state: "pending", reportMode: "checks", nextPollAt: t.now() + 60_000, timeoutAt: t.now() + 3_600_000, createdAt: t.now(),
    });
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(1007);
    gitlabApi().createsPipeline(63, SHA, (body) => expect(body.variables).toContainEqual({ key: "RELAY_RUN_ID", value: "1", variable_type: "env_var" }));
    await t.receive("push", pushPayload());
    expect(await t.store.runsForCommit("Codertocat", "Hello-World", SHA)).toEqual([expect.objectContaining({ id: 1, state: "queued", vendorRunId: "63" })]);
  });

  it("a crash before the create left the process: GitLab has no such pipeline, so the create is sent again", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab"));
    nock(GITLAB_URL).post("/api/v4/projects/acme%2Fbackend/pipeline").replyWithError({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" });
    githubApi().createsCheck(1005, (body) => expect(body.output!.title).toMatch(/^Waiting for GitLab CI: no answer; next attempt/));
    await t.receive("push", pushPayload());
    expect(await t.store.getRun(1)).toMatchObject({ state: "pending", failures: 1 });

    gitlabApi().createsPipeline(62, SHA);
    githubApi().updatesCheck(1005, (body) => expect(body.status).toBe("queued"));
    await t.poll();
    expect(await t.store.getRun(1)).toMatchObject({ state: "queued", vendorRunId: "62", triggerAttempts: 2 });
  });

  it("a 502 answer to the check-run create: GitHub is asked which check exists before creating, so one check run", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab"));
    nock("https://api.github.com").post("/repos/Codertocat/Hello-World/check-runs").reply(502, "bad gateway");
    gitlabApi().createsPipeline(61, SHA);
    await t.receive("push", pushPayload());
    expect(await t.store.getRun(1)).toMatchObject({ checkRunId: null });
    expect((await t.store.getRun(1))!.checkCreateSentAt).not.toBeNull();

    // GitHub did create it: the lookup finds our external_id and adopts it instead of a second create.
    githubApi().listsChecks(SHA, [{ id: 1006, externalId: "1" }]).updatesCheck(1006, (body) => expect(body.status).toBe("queued"));
    t.advance(60_000);
    gitlabApi().reportsPipeline(61, "pending", SHA);
    await t.relay.runUntilIdle();
    expect(await t.store.getRun(1)).toMatchObject({ checkRunId: 1006 });
  });

  it("a create cut short by a crash is looked for only after GitHub's request deadline: one that lands late is adopted, not sent again", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab"));
    gitlabApi().createsPipeline(61, SHA);
    await t.deliver("push", pushPayload());
    // The event is handled and the pipeline triggered; the process dies just after marking its check-run create as sent.
    nock("https://api.github.com").post("/repos/Codertocat/Hello-World/check-runs").reply(502, "bad gateway");
    await t.relay.runUntilIdle();
    const sentAt = (await t.store.getRun(1))!.checkCreateSentAt!;
    expect(sentAt).toBe(t.now());

    // Another worker takes the run over 4 s later: no lookup yet (the create may still land), only a later due time.
    t.advance(4_000);
    await t.store.updateRun(1, { publishDueAt: t.now() }, t.now());
    expect(await t.relay.runUntilIdle()).toBe(1);
    expect(await t.store.getRun(1)).toMatchObject({ checkRunId: null, checkCreateSentAt: sentAt, publishDueAt: sentAt + 30_000 });

    // Past the deadline the create has landed: it is adopted, and nothing is created a second time.
    t.advance(26_000);
    gitlabApi().reportsPipeline(61, "pending", SHA);
    githubApi().listsChecks(SHA, [{ id: 1007, externalId: "1" }]).updatesCheck(1007, (body) => expect(body.status).toBe("queued"));
    await t.relay.runUntilIdle();
    expect(await t.store.getRun(1)).toMatchObject({ checkRunId: 1007 });
  });

  it("a run past its timeout is cancelled on the vendor and concludes timed_out", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).createsCheck(1006);
    gitlabApi().createsPipeline(61, SHA);
    await t.receive("push", pushPayload());
    t.advance(31 * 60_000); // timeout_minutes: 30 in the fixture
    gitlabApi().cancels(61);
    githubApi().updatesCheck(1006, (body) => {
      expect(body).toMatchObject({ status: "completed", conclusion: "timed_out" });
      expect(body.output!.summary).toContain("Timed out after 30 minutes; the vendor run was cancelled.");
    });
    await t.relay.runUntilIdle();
  });
});

describe("reporting modes", () => {
  it("report: statuses writes commit statuses with the same context", async () => {
    const t = await createTestRelay();
    githubApi()
      .hasConfig(`report: statuses\n${configFixture("gitlab")}`)
      .setsStatus(SHA, (body) => expect(body).toEqual({ context: "pipeline-relay/backend", state: "pending", description: "Queued on GitLab CI", target_url: "https://gitlab.example.com/acme/backend/-/pipelines/61" }));
    gitlabApi().createsPipeline(61, SHA);
    await t.receive("push", pushPayload());
    gitlabApi().reportsPipeline(61, "failed", SHA).hasFailedJobs(61, [], "");
    githubApi().setsStatus(SHA, (body) => expect(body).toMatchObject({ state: "failure", description: "Failed on GitLab CI" }));
    await t.poll();
  });

  it("falls back to a commit status when the installation may not write checks", async () => {
    const t = await createTestRelay();
    githubApi().hasConfig(configFixture("gitlab")).refusesChecks().setsStatus(SHA, (body) => expect(body.state).toBe("pending"));
    gitlabApi().createsPipeline(61, SHA);
    await t.receive("push", pushPayload());
    expect((await t.store.runsForCommit("Codertocat", "Hello-World", SHA))[0]!.reportMode).toBe("statuses");
  });
  // The fast path stores a body after reading only its envelope (readEnvelope); GitHub never sends such bodies,
  // so these are signed by whoever holds the secret. Nothing acts on them, and no request reaches GitHub.
  it.each<[string, string, string]>([
    ["a body that is not JSON", `${JSON.stringify(pushPayload()).slice(0, -1)},"x":}`, "its stored payload is not valid JSON"],
    ["a payload of another installation", JSON.stringify({ ...pushPayload(), installation: { id: 2 } }), "its installation is not the one it was stored under"],
  ])("a stored delivery with %s is given up with the reason, without quoting it", async (_case, body, reason) => {
    const t = await createTestRelay();
    const marker = "ENVELOPE-MARKER";
    const stored = body.replace('"ref":', `"marker":"${marker}","ref":`);
    await t.store.addEvent({ deliveryId: "odd-body", name: "push", payload: undefined, payloadJson: Buffer.from(stored), installationId: 1, repoKey: "Codertocat/Hello-World" }, t.now());
    expect(await t.relay.runUntilIdle()).toBe(1);
    expect(await t.store.pendingEventCount()).toBe(0);
    const given = t.logs.filter((line) => line.includes("webhook event given up"));
    expect(given).toHaveLength(1);
    expect(JSON.parse(given[0]!)).toMatchObject({ delivery: "odd-body", reason });
    expect(t.logs.join("\n")).not.toContain(marker);
  });
});
