import nock from "nock";
import { runCommand } from "../../src/bin/commands.js";
import { checked } from "../helpers/github-api.js";
import { cliWorkspace, removeCliWorkspaces } from "../helpers/cli-workspace.js";

const API_TOKEN = "gitlab-api-secret-51aa";
const CALLBACK_TOKEN = "gitlab-callback-secret-7d02";
const GITLAB = "https://gitlab.example.com";
const HOOK_URL = "https://relay.example.com/pipeline-relay/callbacks/gitlab/corp-gitlab";

const RELAY_YML = `
connections:
  corp-gitlab:
    vendor: gitlab
    url: ${GITLAB}
    token: \${API_TOKEN}
    callback_token: \${CALLBACK_TOKEN}
    repositories: ["acme/*"]
  quiet-gitlab:
    vendor: gitlab
    url: https://gitlab.other.example.com
    token: \${API_TOKEN}
    repositories: ["acme/*"]
  zadig:
    vendor: zadig
    url: https://zadig.example.com
    token: \${API_TOKEN}
    callback_token: \${CALLBACK_TOKEN}
    repositories: ["acme/*"]
`;

const PIPELINES_YML = `
pipelines:
  - { name: build, connection: corp-gitlab, on: { push: {} }, gitlab: { project: acme/app } }
  - { name: lint, connection: corp-gitlab, on: { push: {} }, gitlab: { project: acme/app } }
  - { name: docs, connection: corp-gitlab, on: { push: {} }, gitlab: { project: 42 } }
  - { name: other, connection: quiet-gitlab, on: { push: {} }, gitlab: { project: acme/other } }
  - name: deploy
    connection: zadig
    on: { push: {} }
    zadig: { project: shop, workflow: deploy, codehost: github, jobs: [{ type: zadig-build, name: build, registry: r.example.com/shop, services: [{ service_name: s, service_module: s }] }] }
`;

afterEach(removeCliWorkspaces);

const workspace = () => cliWorkspace({ relayYml: RELAY_YML, pipelinesYml: PIPELINES_YML }, { API_TOKEN, CALLBACK_TOKEN });

const ARGS = ["hooks", "--repo", "acme/app", "--config", "pipelines.yml", "--url", "https://relay.example.com/"];
const expectedBody = { url: HOOK_URL, token: CALLBACK_TOKEN, pipeline_events: true, job_events: false, push_events: false, enable_ssl_verification: true };

describe("pipeline-relay hooks", () => {
  it("creates a project webhook once per project, updates one with the same URL, and says what to do by hand elsewhere", async () => {
    const { io, out, err } = workspace();
    const gitlab = nock(GITLAB, { reqheaders: { "private-token": API_TOKEN } });
    // acme/app: no hook of ours among two pages of others → created.
    const others = Array.from({ length: 100 }, (_, index) => ({ id: index + 1, url: `https://elsewhere.example.com/${index}` }));
    gitlab.get("/api/v4/projects/acme%2Fapp/hooks").query({ per_page: "100", page: "1" }).reply(200, others);
    gitlab.get("/api/v4/projects/acme%2Fapp/hooks").query({ per_page: "100", page: "2" }).reply(200, [{ id: 101, url: "https://ci.example.com/hook" }]);
    gitlab.post("/api/v4/projects/acme%2Fapp/hooks", (body) => checked((b) => expect(b).toEqual(expectedBody), body)).reply(201, { id: 102, url: HOOK_URL });
    // Project 42 already has it → updated (its secret cannot be read back, so it is written again).
    gitlab.get("/api/v4/projects/42/hooks").query({ per_page: "100", page: "1" }).reply(200, [{ id: 7, url: HOOK_URL, push_events: true }]);
    gitlab.put("/api/v4/projects/42/hooks/7", (body) => checked((b) => expect(b).toEqual(expectedBody), body)).reply(200, { id: 7, url: HOOK_URL });

    expect(await runCommand(ARGS, io)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([
      `build: created: webhook 102 on acme/app sends Pipeline events to ${HOOK_URL}`,
      `docs: updated: webhook 7 on 42 sends Pipeline events to ${HOOK_URL}`,
      "other: skipped: connection quiet-gitlab has no callback_token (or its vendor cannot notify)",
      "deploy: by hand: in Zadig, edit the workflow → Notification → add one of type Webhook: address " +
        "https://relay.example.com/pipeline-relay/callbacks/zadig/zadig, token = the connection's callback_token, " +
        "notify on every state you want reported (started, passed, failed, cancelled, timeout)",
    ]);
    expect(out.join("\n")).not.toContain(CALLBACK_TOKEN);
  });

  it("--dry-run lists the hooks and prints the request without the secret", async () => {
    const { io, out } = workspace();
    const gitlab = nock(GITLAB);
    gitlab.get("/api/v4/projects/acme%2Fapp/hooks").query(true).reply(200, []);
    gitlab.get("/api/v4/projects/42/hooks").query(true).reply(200, [{ id: 7, url: HOOK_URL }]);
    expect(await runCommand([...ARGS, "--dry-run"], io)).toBe(0);
    expect(out.slice(0, 4)).toEqual([
      `POST /projects/acme%2Fapp/hooks ${JSON.stringify({ ...expectedBody, token: "[callback_token]" })}`,
      "build: dry-run: would create a hook on acme/app",
      `PUT /projects/42/hooks/7 ${JSON.stringify({ ...expectedBody, token: "[callback_token]" })}`,
      "docs: dry-run: would update hook 7 on 42",
    ]);
    expect(out.join("\n")).not.toContain(CALLBACK_TOKEN);
  });

  it("a refused webhook is one failed line with GitLab's message, exit 1", async () => {
    const { io, out } = workspace();
    const gitlab = nock(GITLAB);
    gitlab.get("/api/v4/projects/acme%2Fapp/hooks").query(true).reply(403, { message: "403 Forbidden" });
    gitlab.get("/api/v4/projects/42/hooks").query(true).reply(200, []);
    gitlab.post("/api/v4/projects/42/hooks").reply(201, { id: 9, url: HOOK_URL });
    expect(await runCommand(ARGS, io)).toBe(1);
    expect(out[0]).toMatch(/^build: failed: .*403 Forbidden/);
    expect(out[1]).toBe(`docs: created: webhook 9 on 42 sends Pipeline events to ${HOOK_URL}`);
  });

  it.each([
    ["no --url", ["hooks", "--repo", "acme/app", "--config", "pipelines.yml"], /--url must be/],
    ["a --url that is not http(s)", [...ARGS.slice(0, -1), "ftp://relay.example.com"], /--url must be/],
    ["no --repo", ["hooks", "--url", "https://relay.example.com"], /--repo owner\/name is required/],
    ["an unknown option", [...ARGS, "--force"], /Unknown option '--force'/],
  ])("bad usage: %s → exit 2", async (_case, argv, message) => {
    const { io, err } = workspace();
    expect(await runCommand(argv, io)).toBe(2);
    expect(err.join("\n")).toMatch(message);
  });
});
