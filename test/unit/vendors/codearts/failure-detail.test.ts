import { failedParts, formatFailure, LOG_TAIL_LINES, maskValues, MAX_LOG_PAGES, readLogTail, type LogPage } from "../../../../src/vendors/codearts/failure-detail.js";
import { runDetail, type CodeartsTarget } from "../../../../src/vendors/codearts/schema.js";
import { createAdapterForTest } from "../../../helpers/adapter.js";
import { codeartsApi, FAILED_JOB_ID, FAILED_STEP_ID, iamApi, PIPELINE_ID, PROJECT_ID, runDetailBody } from "../../../helpers/codearts-api.js";

const RUN_ID = "de6c9098f45a4ac58a6efc9c1b81df82";
const TARGET: CodeartsTarget = { project_id: PROJECT_ID, pipeline_id: PIPELINE_ID, source: { git_type: "github" }, event_type: "Manual" };
const detailOf = (fixture: "running" | "completed" | "failed") => runDetail.parse(runDetailBody(RUN_ID, fixture));
const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`).join("\n") + "\n";

describe("failed stages and jobs", () => {
  it("names the failed stage and job with CodeArts' message, and picks the failed step for its log", () => {
    expect(failedParts(detailOf("failed"))).toEqual({
      lines: ["- `Deploy` / `Deploy job`: deploy failed"],
      step: { jobId: FAILED_JOB_ID, stepId: FAILED_STEP_ID, name: "Deploy" },
    });
  });

  it("finds nothing in a completed run", () => {
    expect(failedParts(detailOf("completed"))).toEqual({ lines: [], step: undefined });
  });

  it("names a failed stage without a failed job (a stage-level gate) and then has no log to read", () => {
    const detail = detailOf("completed");
    detail.stages![1]!.status = "FAILED";
    expect(failedParts(detail)).toEqual({ lines: ["- `Deploy`"], step: undefined });
  });
});

describe("step log tail", () => {
  const pages = (texts: string[]) => {
    const asked: number[] = [];
    let offset = 0;
    const answers: LogPage[] = texts.map((log, i) => ({ log, has_more: i < texts.length - 1, end_offset: String((offset += log.length)) }));
    return { asked, fetch: async (start: number) => (asked.push(start), answers.shift()!) };
  };

  it("reads page after page from the offset CodeArts returned and keeps the last lines", async () => {
    const log = pages([numbered(1, 40), numbered(41, 45)]);
    const { tail, complete } = await readLogTail(log.fetch);
    expect(log.asked).toEqual([0, numbered(1, 40).length]);
    expect(tail.split("\n")).toEqual(numbered(16, 45).trimEnd().split("\n"));
    expect(tail.split("\n")).toHaveLength(LOG_TAIL_LINES);
    expect(complete).toBe(true);
  });

  it("stops when has_more is true but the offset does not move", async () => {
    const fetch = async (): Promise<LogPage> => ({ log: "same\n", has_more: true, end_offset: "0" });
    expect(await readLogTail(fetch)).toEqual({ tail: "same", complete: true });
  });

  it("gives up after a bounded number of pages and says the log was cut", async () => {
    const log = pages(Array.from({ length: MAX_LOG_PAGES + 5 }, (_, i) => `page ${i}\n`));
    const { tail, complete } = await readLogTail(log.fetch);
    expect(log.asked).toHaveLength(MAX_LOG_PAGES);
    expect(complete).toBe(false);
    expect(tail.endsWith(`page ${MAX_LOG_PAGES - 1}`)).toBe(true);
    expect(formatFailure(failedParts(detailOf("failed")), { tail, complete })).toContain("the log is longer than 5000 lines; the full log is on CodeArts");
  });

  it("masks the given values, longest first", () => {
    expect(maskValues("user=ci-bot pass=ci-bot-pass token=abc", ["ci-bot", "ci-bot-pass", "abc"])).toBe("user=*** pass=*** token=abc");
  });
});

describe("describeFailure", () => {
  it("puts the failed job and the masked tail of the failed step's log on the check", async () => {
    const { adapter } = createAdapterForTest<CodeartsTarget>(
      `vendor: codearts\nregion: cn-north-4\niam_user: \${CA_USER}\niam_password: \${CA_PASSWORD}\niam_domain: acme-cloud\nrepositories: ["*/*"]`,
      { CA_USER: "ci-bot-user", CA_PASSWORD: "failure-detail-password" },
    );
    iamApi().issuesToken("MIIlive-token-value");
    codeartsApi({ kind: "iam", token: "MIIlive-token-value" })
      .reportsRun(RUN_ID, "failed")
      .hasStepLog(RUN_ID, FAILED_JOB_ID, FAILED_STEP_ID, [
        numbered(1, 10),
        "curl -H 'X-Auth-Token: MIIlive-token-value' -u ci-bot-user:failure-detail-password\nError: deploy failed\n",
      ]);
    const detail = await adapter.describeFailure!({ runId: RUN_ID }, TARGET);
    expect(detail).toBe(
      [
        "Failed stages and jobs:",
        "- `Deploy` / `Deploy job`: deploy failed",
        "",
        "Last lines of step `Deploy`:",
        "```",
        `${numbered(1, 10)}curl -H 'X-Auth-Token: ***' -u ***:***\nError: deploy failed`,
        "```",
      ].join("\n"),
    );
  });

  it("says nothing for a run without failed parts", async () => {
    const { adapter } = createAdapterForTest<CodeartsTarget>(
      `vendor: codearts\nregion: cn-north-4\naccess_key: \${CA_AK}\nsecret_key: \${CA_SK}\nrepositories: ["*/*"]`,
      { CA_AK: "HPUAEXAMPLEACCESSKEY", CA_SK: "describe-failure-secret" },
    );
    codeartsApi({ kind: "aksk", accessKey: "HPUAEXAMPLEACCESSKEY", secretKey: "describe-failure-secret" }).reportsRun(RUN_ID, "completed");
    expect(await adapter.describeFailure!({ runId: RUN_ID }, TARGET)).toBeNull();
  });
});
