import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import pino from "pino";
import { Probot, ProbotOctokit } from "probot";
import {
  createInstallationClientFactory,
  fetchWithDeadline,
  installationClientOptions,
  installationClientSettingsSchema,
} from "../../../src/github/installation-client.js";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
const settings = installationClientSettingsSchema.parse({});
const quietLog = pino({ level: "silent" });

function probotApp(options: { Octokit?: typeof ProbotOctokit; baseUrl?: string } = {}): Probot {
  return new Probot({ appId: 1, privateKey, log: quietLog, Octokit: options.Octokit ?? ProbotOctokit.defaults({ retry: { enabled: false } }), baseUrl: options.baseUrl });
}

function issuesTokens(scope: nock.Scope, installationId: number, token = `ghs_${installationId}`): nock.Scope {
  return scope.post(`/app/installations/${installationId}/access_tokens`).reply(201, {
    token,
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    permissions: { checks: "write" },
    repository_selection: "all",
  });
}

describe("installationClientOptions", () => {
  const connection = { clustered: true };
  test.each([
    ["throttled app client", { throttle: { enabled: true, connection } }, { enabled: true, connection, id: "77" }],
    ["throttling without an explicit flag", { throttle: { connection } }, { connection, id: "77" }],
    ["throttling switched off stays off", { throttle: { enabled: false } }, { enabled: false }],
    ["no throttle options", {}, { enabled: false }],
  ])("%s", (_name, appOptions, throttle) => {
    const options = installationClientOptions({ ...appOptions, auth: { appId: 1 }, baseUrl: "https://ghe.example/api/v3" }, 77, settings);
    expect(options.throttle).toEqual(throttle);
    expect(options.auth).toEqual({ appId: 1, installationId: 77 });
    expect(options.baseUrl).toBe("https://ghe.example/api/v3");
    expect(typeof options.request?.fetch).toBe("function");
  });
});

describe("createInstallationClientFactory", () => {
  test("one client per installation, kept: the token is fetched once and used on each call", async () => {
    const github = nock("https://api.github.com");
    issuesTokens(github, 11);
    const authorizations: string[] = [];
    github
      .get("/repos/o/r")
      .times(2)
      .reply(function () {
        authorizations.push(String(this.req.headers.authorization));
        return [200, { id: 1 }];
      });
    const factory = createInstallationClientFactory(probotApp());

    const first = await factory(11);
    const again = await factory(11);
    await first.request("GET /repos/o/r");
    await again.request("GET /repos/o/r");

    expect(again).toBe(first);
    expect(authorizations).toEqual(["token ghs_11", "token ghs_11"]);
  });

  test("GHE: clients call the app's base URL", async () => {
    const ghe = nock("https://ghe.example/api/v3");
    issuesTokens(ghe, 12).get("/repos/o/r").reply(200, { id: 1 });
    const factory = createInstallationClientFactory(probotApp({ baseUrl: "https://ghe.example/api/v3" }));

    await (await factory(12)).request("GET /repos/o/r");
  });

  test("a Probot built with a token (as the test relay is) gives token clients", async () => {
    nock("https://api.github.com")
      .get("/repos/o/r")
      .reply(function () {
        return [200, { authorization: this.req.headers.authorization }];
      });
    const factory = createInstallationClientFactory(new Probot({ githubToken: "plain-token", log: quietLog, Octokit: ProbotOctokit.defaults({ retry: { enabled: false } }) }));

    expect((await (await factory(5)).request("GET /repos/o/r")).data).toEqual({ authorization: "token plain-token" });
  });

  test("the cache is bounded (least recently used dropped) and forget drops a client", async () => {
    const factory = createInstallationClientFactory(probotApp(), { max_cached_installations: 2 });
    const one = await factory(1);
    await factory(2);
    await factory(1); // 1 is now the most recent
    await factory(3); // drops 2
    expect(factory.size).toBe(2);
    expect(await factory(1)).toBe(one);
    factory.forget(1);
    expect(await factory(1)).not.toBe(one);
  });

  test("each installation has its own write queue: one installation's writes do not delay another's", async () => {
    const github = nock("https://api.github.com");
    issuesTokens(github, 21);
    issuesTokens(github, 22);
    const done: Record<string, number> = {};
    github.post(/\/repos\/o\/r\/statuses\/.*/).times(3).reply(201, {});
    // Throttling on, as in production: writes of one throttle id are at least 1 s apart.
    const factory = createInstallationClientFactory(probotApp({ Octokit: ProbotOctokit.defaults({ retry: { enabled: false } }) }));
    const [a, b] = [await factory(21), await factory(22)];
    const started = Date.now();
    const write = (client: typeof a, label: string) =>
      client.request("POST /repos/o/r/statuses/{sha}", { sha: label, state: "success" }).then(() => void (done[label] = Date.now() - started));

    await Promise.all([write(a, "a1"), write(a, "a2"), write(b, "b1")]);

    // b1 does not wait for a1's 1 s spacing; a2 does.
    expect(done.b1).toBeLessThan(700);
    expect(done.a2).toBeGreaterThanOrEqual(900);
  });
});

describe("fetchWithDeadline: a stalled GitHub cannot hang a call", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    nock.enableNetConnect("127.0.0.1");
    server = createServer((req, res) => {
      if (req.url === "/stall-headers" || req.url?.startsWith("/token-stalls/app/")) return; // never answers
      if (req.url === "/stall-body") {
        res.writeHead(201, { "content-type": "application/json" });
        res.write('{"id": 1'); // headers and part of the body, then nothing
        return;
      }
      res.writeHead(201, { "content-type": "application/json" }).end('{"id": 7}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = () =>
    new (ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }))({
      auth: { token: "t" },
      baseUrl: base,
      request: { fetch: fetchWithDeadline(300) },
    });

  test.each(["/stall-headers", "/stall-body"])("%s: the call fails after the deadline instead of hanging or answering empty data", async (path) => {
    const started = Date.now();
    const outcome = await client()
      .request(`POST ${path}`)
      .then(
        (response) => ({ data: response.data }),
        (error: { status?: number; message: string }) => ({ status: error.status, message: error.message }),
      );
    expect(outcome).toEqual({ status: 500, message: "GitHub did not answer within 300 ms (headers and body)" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("the installation token request is under the deadline too", async () => {
    const factory = createInstallationClientFactory(probotApp({ baseUrl: `${base}/token-stalls` }), { request_timeout_seconds: 0.3 });
    const started = Date.now();
    await expect((await factory(31)).request("GET /repos/o/r")).rejects.toThrow("GitHub did not answer within 300 ms");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("an answer within the deadline is passed on whole", async () => {
    const response = await client().request("POST /fine");
    expect(response).toMatchObject({ status: 201, data: { id: 7 }, url: `${base}/fine` });
  });
});
