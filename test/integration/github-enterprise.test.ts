import { createHmac, generateKeyPairSync } from "node:crypto";
import nock from "nock";
import pino from "pino";
import { parse as parseYaml } from "yaml";
import { createRelayApp, type Relay } from "../../src/app.js";
import { parseOperatorConfig } from "../../src/config/operator-config.js";
import { startGuardedServer } from "../../src/github/guarded-server.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
// Probot does not export its manifest flow; the setup page (`npm run start:probot`) runs exactly this class.
import { ManifestCreation } from "../../node_modules/probot/lib/manifest-creation.js";
import { checked } from "../helpers/github-api.js";
import { gitlabApi } from "../helpers/gitlab-api.js";
import { configFixture } from "../helpers/fixtures.js";
import { CANARY_TOKEN, DEFAULT_OPERATOR_YAML } from "../helpers/relay.js";
import { pushPayload } from "../helpers/webhooks.js";
import { freePort } from "../helpers/free-port.js";

const GHE_HOST = "ghe.example.com";
const GHE_API = `https://${GHE_HOST}/api/v3`;
const SECRET = "ghes-webhook-secret";
const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const REPO_PATH = "/repos/Codertocat/Hello-World";
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

beforeAll(() => nock.enableNetConnect("127.0.0.1"));

/** A push as a GitHub Enterprise Server sends it: its URLs point at the GHES host. */
function ghePushPayload(): any {
  const payload = pushPayload({ after: SHA });
  payload.repository.clone_url = `https://${GHE_HOST}/Codertocat/Hello-World.git`;
  payload.repository.html_url = `https://${GHE_HOST}/Codertocat/Hello-World`;
  return payload;
}

async function deliver(port: number, name: string, payload: unknown, id: string): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": name,
      "x-github-delivery": id,
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
    body,
  });
}

describe("GitHub Enterprise Server (GHE_HOST)", () => {
  it("a webhook delivered over HTTP is handled with every GitHub call on <protocol>://<host>/api/v3", async () => {
    const logs: string[] = [];
    const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
    const operator = parseOperatorConfig(parseYaml(DEFAULT_OPERATOR_YAML), "relay.yml", { GITLAB_TOKEN: CANARY_TOKEN });
    operator.tracker.config_cache_seconds = 0;
    const store = new SqliteStore(":memory:");
    let relay: Relay | undefined;
    const port = await freePort();
    const env = { APP_ID: "42", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, PORT: String(port), HOST: "127.0.0.1", GHE_HOST };
    // No client factory is given: installation clients come from Probot's own app.auth, as in production.
    const started = await startGuardedServer(createRelayApp({ operator, store, autoStart: false }, (ready) => (relay = ready)), env, { log });
    try {
      const ghes = nock(GHE_API);
      ghes.post("/app/installations/1/access_tokens").reply(201, { token: "ghs_installation", expires_at: new Date(Date.now() + 3600_000).toISOString() });
      ghes.get(`${REPO_PATH}/contents/.github%2Fpipelines.yml`).reply(200, configFixture("gitlab"), { "content-type": "text/plain; charset=utf-8" });
      ghes
        .post(`${REPO_PATH}/check-runs`, (body) => checked((b) => expect(b).toMatchObject({ name: "pipeline-relay/backend", head_sha: SHA, details_url: "https://gitlab.example.com/acme/backend/-/pipelines/61" }), body))
        .reply(201, { id: 701 });
      gitlabApi().createsPipeline(61, SHA, (body) => {
        expect(body.variables).toEqual(expect.arrayContaining([{ key: "RELAY_REPOSITORY_URL", value: `https://${GHE_HOST}/Codertocat/Hello-World.git`, variable_type: "env_var" }]));
      });

      expect((await deliver(port, "push", ghePushPayload(), "ghes-delivery-1")).status).toBe(200);
      await relay!.runUntilIdle();

      expect(await store.runsForCommit("Codertocat", "Hello-World", SHA)).toEqual([expect.objectContaining({ checkRunId: 701, vendorRunId: "61" })]);
      expect(logs.join("\n")).not.toContain(CANARY_TOKEN);
    } finally {
      started.httpServer.closeAllConnections();
      await started.server.stop();
      await store.close();
    }
  });
});

describe("GitHub Enterprise Server: the App manifest flow (Probot's setup page)", () => {
  const saved = { GHE_HOST: process.env.GHE_HOST, GHE_PROTOCOL: process.env.GHE_PROTOCOL };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it.each([
    ["https", `https://${GHE_HOST}/settings/apps/new`],
    ["http", `http://${GHE_HOST}/settings/apps/new`],
  ])("registers the App on the GHES host (%s) with app.yml's events and permissions", async (protocol, createUrl) => {
    process.env.GHE_HOST = GHE_HOST;
    process.env.GHE_PROTOCOL = protocol;
    const written: NodeJS.ProcessEnv[] = [];
    const setup = new ManifestCreation({ updateEnv: (env: NodeJS.ProcessEnv) => (written.push(env), env) });
    expect(setup.createAppUrl).toBe(createUrl);

    const manifest = JSON.parse(setup.getManifest({ pkg: { name: "pipeline-relay" }, baseUrl: "https://relay.example.com" }));
    expect(manifest.default_events).toEqual(expect.arrayContaining(["push", "pull_request", "merge_group"]));
    expect(manifest.default_permissions).toMatchObject({ checks: "write", contents: "read" });

    nock(`${protocol}://${GHE_HOST}/api/v3`)
      .post("/app-manifests/temporary-code/conversions")
      .reply(201, { id: 7, client_id: "Iv1.x", client_secret: "s", webhook_secret: "w", pem: "PEM", html_url: `${protocol}://${GHE_HOST}/github-apps/pipeline-relay` });
    expect(await setup.createAppFromCode("temporary-code", {})).toBe(`${protocol}://${GHE_HOST}/github-apps/pipeline-relay`);
    expect(written).toEqual([expect.objectContaining({ APP_ID: "7", WEBHOOK_SECRET: "w" })]);
  });
});
