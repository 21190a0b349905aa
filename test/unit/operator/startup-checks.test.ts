import { generateKeyPairSync } from "node:crypto";
import { applyDotEnv, overrideWarnings } from "../../../src/operator/dot-env.js";
import { formatStartupProblem, startupProblems, type StartupCheckIo } from "../../../src/operator/startup-checks.js";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
const PEM = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const NOT_A_KEY = "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n";

function io(files: Record<string, string | NodeJS.ErrnoException>, dir: string[] = []): StartupCheckIo {
  return {
    cwd: "/srv/relay",
    readFile: (path) => {
      const file = files[path];
      if (file === undefined) throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
      if (typeof file !== "string") throw file;
      return file;
    },
    listDir: () => dir,
  };
}

const good = { APP_ID: "123", PRIVATE_KEY_PATH: "key.pem", WEBHOOK_SECRET: "s3cret" };
const files = { "/srv/relay/key.pem": PEM, "/srv/relay/junk.pem": "hello", "/srv/relay/locked.pem": Object.assign(new Error("EACCES"), { code: "EACCES" }) };

describe("start-up checks", () => {
  it.each([
    ["a complete identity", good, []],
    ["nothing (first run: Probot's registration page)", {}, []],
    ["PRIVATE_KEY inline with \\n", { APP_ID: "1", WEBHOOK_SECRET: "x", PRIVATE_KEY: PEM.replace(/\n/g, "\\n") }, []],
    ["PRIVATE_KEY base64", { APP_ID: "1", WEBHOOK_SECRET: "x", PRIVATE_KEY: Buffer.from(PEM).toString("base64") }, []],
    ["a missing key file", { ...good, PRIVATE_KEY_PATH: "missing.pem" }, ["PRIVATE_KEY_PATH /srv/relay/missing.pem does not exist: point PRIVATE_KEY_PATH at"]],
    ["an unreadable key file", { ...good, PRIVATE_KEY_PATH: "locked.pem" }, ["PRIVATE_KEY_PATH /srv/relay/locked.pem cannot be read (permission denied)"]],
    ["a file that is not a key", { ...good, PRIVATE_KEY_PATH: "junk.pem" }, ["PRIVATE_KEY_PATH /srv/relay/junk.pem is not a PEM private key"]],
    ["a PEM frame around garbage", { APP_ID: "1", WEBHOOK_SECRET: "x", PRIVATE_KEY: NOT_A_KEY }, ["PRIVATE_KEY is not a PEM private key"]],
    ["a key without APP_ID", { PRIVATE_KEY_PATH: "key.pem", WEBHOOK_SECRET: "x" }, ["APP_ID is not set although a private key is"]],
    ["a non-numeric APP_ID", { ...good, APP_ID: "my-app" }, ['APP_ID "my-app" is not an App id']],
    ["APP_ID without a key", { APP_ID: "5", WEBHOOK_SECRET: "x" }, ["PRIVATE_KEY_PATH is not set (nor PRIVATE_KEY) although APP_ID is"]],
    ["no webhook secret", { APP_ID: "5", PRIVATE_KEY_PATH: "key.pem" }, ["WEBHOOK_SECRET is not set"]],
    ["a non-numeric PORT", { ...good, PORT: "http" }, ['PORT "http" is not a number: set PORT to a TCP port']],
    ["PORT out of range", { ...good, PORT: "70000" }, ["PORT 70000 is out of range"]],
    ["PORT 0", { ...good, PORT: "0" }, ["PORT 0 is out of range"]],
    ["an unknown LOG_LEVEL", { ...good, LOG_LEVEL: "verbose" }, ['LOG_LEVEL "verbose" is not a log level']],
    ["production without an identity", { NODE_ENV: "production" }, ["APP_ID and the private key are not set"]],
    ["a short metrics token", { ...good, RELAY_METRICS_TOKEN: "abc" }, ["RELAY_METRICS_TOKEN is shorter than 16 characters"]],
    ["two problems at once", { ...good, PORT: "x", PRIVATE_KEY_PATH: "missing.pem" }, ["PORT", "PRIVATE_KEY_PATH"]],
  ])("%s", (_name, env, expected) => {
    const lines = startupProblems(env as NodeJS.ProcessEnv, io(files)).map((problem) => formatStartupProblem(problem).replace("pipeline-relay cannot start: ", ""));
    expect(lines).toHaveLength(expected.length);
    expected.forEach((start, index) => expect(lines[index]).toContain(start));
    for (const line of lines) expect(line).not.toContain("\n");
  });

  it("finds a single .pem in the working directory like Probot, and refuses two", () => {
    expect(startupProblems({ APP_ID: "1", WEBHOOK_SECRET: "x" }, io({}, ["app.pem"]))).toEqual([]);
    expect(startupProblems({ APP_ID: "1", WEBHOOK_SECRET: "x" }, io({}, ["a.pem", "b.pem"])).map((p) => p.variable)).toEqual(["PRIVATE_KEY_PATH"]);
  });

  it("never prints a key's content", () => {
    const lines = startupProblems({ APP_ID: "1", WEBHOOK_SECRET: "x", PRIVATE_KEY: NOT_A_KEY }, io({})).map(formatStartupProblem);
    expect(lines.join("\n")).not.toContain("bm90IGEga2V5");
  });
});

describe(".env, read as Probot reads it", () => {
  it("wins over the environment and says which names it replaced, without values", () => {
    const env: NodeJS.ProcessEnv = { PORT: "4000", GITLAB_TOKEN: "from-shell", LOG_LEVEL: "info" };
    const result = applyDotEnv(env, "/srv", () => "# comment\nPORT=3000\nGITLAB_TOKEN=\nLOG_LEVEL=info\nAPP_ID=12\n");
    expect(env).toEqual({ PORT: "3000", GITLAB_TOKEN: "", LOG_LEVEL: "info", APP_ID: "12" });
    expect(result.overridden).toEqual(["GITLAB_TOKEN", "PORT"]);
    const warnings = overrideWarnings(result).join("\n");
    expect(warnings).toContain("GITLAB_TOKEN from .env replaces the value set in the environment");
    expect(warnings).not.toContain("from-shell");
  });

  it("changes nothing without a .env, and a commented-out example sets nothing", () => {
    const env: NodeJS.ProcessEnv = { PORT: "4000" };
    expect(applyDotEnv(env, "/srv", () => { throw Object.assign(new Error("nope"), { code: "ENOENT" }); })).toEqual({ loaded: [], overridden: [] });
    expect(applyDotEnv(env, "/srv", () => "# PORT=3000\n# GITLAB_TOKEN=\n")).toEqual({ loaded: [], overridden: [] });
    expect(env).toEqual({ PORT: "4000" });
  });
});
