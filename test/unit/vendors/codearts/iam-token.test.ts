import { jest } from "@jest/globals";
import { VendorError } from "../../../../src/errors.js";
import type { CodeartsTarget } from "../../../../src/vendors/codearts/schema.js";
import { createTokenCache, REFRESH_BEFORE_MS, type TokenGrant } from "../../../../src/vendors/codearts/iam-token.js";
import { createAdapterForTest } from "../../../helpers/adapter.js";
import { codeartsApi, codeartsFixture, iamApi, IAM_URL, PIPELINE_ID, PROJECT_ID } from "../../../helpers/codearts-api.js";
import nock from "nock";

const PASSWORD = "iam-unit-password-77";
const TARGET: CodeartsTarget = { project_id: PROJECT_ID, pipeline_id: PIPELINE_ID, source: { git_type: "github" }, event_type: "Manual" };
const RUN = { runId: "de6c9098f45a4ac58a6efc9c1b81df82" };

function adapter(extra = "") {
  return createAdapterForTest<CodeartsTarget>(
    `vendor: codearts\nregion: cn-north-4\niam_user: \${CA_USER}\niam_password: \${CA_PASSWORD}\niam_domain: acme-cloud\nrepositories: ["*/*"]${extra}`,
    { CA_USER: "ci-bot", CA_PASSWORD: PASSWORD },
  );
}

function deferred() {
  let resolve!: (grant: TokenGrant) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<TokenGrant>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("IAM token cache", () => {
  it("shares one fetch among concurrent callers and reuses the token afterwards", async () => {
    const pending = deferred();
    const fetch = jest.fn(() => pending.promise);
    const cache = createTokenCache(fetch, () => 0);
    const callers = Array.from({ length: 10 }, () => cache.get());
    pending.resolve({ token: "t1", expiresAt: 24 * 3600_000 });
    expect(await Promise.all(callers)).toEqual(Array(10).fill("t1"));
    expect(await cache.get()).toBe("t1");
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("fetches a new token shortly before the old one expires", async () => {
    let now = 0;
    const grants = [{ token: "t1", expiresAt: 60 * 60_000 }, { token: "t2", expiresAt: 25 * 60 * 60_000 }];
    const fetch = jest.fn(async () => grants.shift()!);
    const cache = createTokenCache(fetch, () => now);
    expect(await cache.get()).toBe("t1");
    now = 60 * 60_000 - REFRESH_BEFORE_MS - 1;
    expect(await cache.get()).toBe("t1");
    now += 1;
    expect(await cache.get()).toBe("t2");
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("drops a token proved dead, but not a newer one", async () => {
    const grants = ["t1", "t2"].map((token) => ({ token, expiresAt: Number.MAX_SAFE_INTEGER }));
    const fetch = jest.fn(async () => grants.shift()!);
    const cache = createTokenCache(fetch, () => 0);
    expect(await cache.get()).toBe("t1");
    cache.invalidate("t1");
    expect(await cache.get()).toBe("t2");
    cache.invalidate("t1");
    expect(await cache.get()).toBe("t2");
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("does not cache a failed fetch: every waiting caller sees the failure and the next call tries again", async () => {
    const pending = deferred();
    const fetch = jest.fn<() => Promise<TokenGrant>>().mockReturnValueOnce(pending.promise).mockResolvedValueOnce({ token: "t2", expiresAt: Number.MAX_SAFE_INTEGER });
    const cache = createTokenCache(fetch, () => 0);
    const callers = [cache.get(), cache.get()];
    pending.reject(new Error("IAM down"));
    await expect(Promise.all(callers)).rejects.toThrow("IAM down");
    expect(await cache.get()).toBe("t2");
  });
});

describe("CodeArts adapter with an IAM user", () => {
  it("asks IAM for a password token scoped to the region's project, without the catalog", async () => {
    const { adapter: codearts } = adapter();
    iamApi().issuesToken("tok-1", {
      expect: (body) =>
        expect(body).toEqual({
          auth: {
            identity: { methods: ["password"], password: { user: { name: "ci-bot", password: PASSWORD, domain: { name: "acme-cloud" } } } },
            scope: { project: { name: "cn-north-4" } },
          },
        }),
    });
    codeartsApi({ kind: "iam", token: "tok-1" }).reportsRun(RUN.runId, "running");
    expect((await codearts.getRun(RUN, TARGET)).state).toBe("running");
  });

  it("scopes the token by IAM project id when the connection names one", async () => {
    const { adapter: codearts } = adapter("\niam_project_id: 05d2b0e7ea8026a22f2cc0112bcef6e7");
    iamApi().issuesToken("tok-1", { expect: (body) => expect(body.auth.scope).toEqual({ project: { id: "05d2b0e7ea8026a22f2cc0112bcef6e7" } }) });
    codeartsApi({ kind: "iam", token: "tok-1" }).reportsRun(RUN.runId, "running");
    await codearts.getRun(RUN, TARGET);
  });

  it("fetches one token for many concurrent calls", async () => {
    const { adapter: codearts } = adapter();
    iamApi().issuesToken("tok-1");
    const api = codeartsApi({ kind: "iam", token: "tok-1" });
    for (let i = 0; i < 6; i++) api.reportsRun(RUN.runId, "running");
    const snapshots = await Promise.all(Array.from({ length: 6 }, () => codearts.getRun(RUN, TARGET)));
    expect(snapshots.map((s) => s.vendorStatus)).toEqual(Array(6).fill("RUNNING"));
  });

  it("replaces a token CodeArts refuses (401) once, and goes on with the new one", async () => {
    const { adapter: codearts } = adapter();
    iamApi().issuesToken("tok-1");
    codeartsApi({ kind: "iam", token: "tok-1" }).failsToReport(RUN.runId, 401, codeartsFixture("error_401.apig_token"));
    iamApi().issuesToken("tok-2");
    codeartsApi({ kind: "iam", token: "tok-2" }).reportsRun(RUN.runId, "running").reportsRun(RUN.runId, "completed");
    expect((await codearts.getRun(RUN, TARGET)).state).toBe("running");
    expect((await codearts.getRun(RUN, TARGET)).state).toBe("success");
  });

  it("refreshes only once: a second 401 is an authentication failure for the operator", async () => {
    const { adapter: codearts, logs } = adapter();
    iamApi().issuesToken("tok-1");
    codeartsApi({ kind: "iam", token: "tok-1" }).failsToReport(RUN.runId, 401, codeartsFixture("error_401.apig_token"));
    iamApi().issuesToken("tok-2");
    codeartsApi({ kind: "iam", token: "tok-2" }).failsToReport(RUN.runId, 401, codeartsFixture("error_401.apig_token"));
    const error = (await codearts.getRun(RUN, TARGET).catch((e: unknown) => e)) as VendorError;
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toMatchObject({ operation: "getRun", status: 401, isAuthFailure: true, vendorCode: "APIG.0301" });
    expect(logs.join("\n")).not.toMatch(/tok-1|tok-2|iam-unit-password/);
  });

  it("reports IAM's refusal as the failed operation, without the password", async () => {
    const { adapter: codearts } = adapter();
    iamApi().refuses(401, codeartsFixture("iam_error_401"));
    const error = (await codearts.getRun(RUN, TARGET).catch((e: unknown) => e)) as VendorError;
    expect(error.message).toBe("codearts getRun failed: IAM token request: HTTP 401: The username or password is wrong.");
    expect(error).toMatchObject({ operation: "getRun", status: 401, isAuthFailure: true, retryable: false });
    expect(error.message).not.toContain(PASSWORD);
  });

  it("fails loudly when IAM answers without the X-Subject-Token header", async () => {
    const { adapter: codearts } = adapter();
    nock(IAM_URL).post("/v3/auth/tokens").query({ nocatalog: "true" }).reply(201, codeartsFixture("iam_token"));
    await expect(codearts.getRun(RUN, TARGET)).rejects.toThrow("codearts getRun failed: IAM token request: IAM answered HTTP 201 without an X-Subject-Token header");
  });
});
