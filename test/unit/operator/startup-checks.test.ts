import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { applyDotEnv } from "../../../src/operator/dot-env.js";
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
    ["nothing, where no registration page can open", {}, ["APP_ID and the private key are not set: set APP_ID, PRIVATE_KEY_PATH and WEBHOOK_SECRET"]],
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

    ["a short metrics token", { ...good, RELAY_METRICS_TOKEN: "abc" }, ["RELAY_METRICS_TOKEN is shorter than 16 characters"]],
    ["two problems at once", { ...good, PORT: "x", PRIVATE_KEY_PATH: "missing.pem" }, ["PORT", "PRIVATE_KEY_PATH"]],
  ])("%s", (_name, env, expected) => {
    const lines = startupProblems(env as NodeJS.ProcessEnv, io(files)).map((problem) => formatStartupProblem(problem).replace("pipeline-relay cannot start: ", ""));
    expect(lines).toHaveLength(expected.length);
    expected.forEach((start, index) => expect(lines[index]).toContain(start));
    for (const line of lines) expect(line).not.toContain("\n");
  });

  it("lets `probot run` open its registration page without an identity, except in production", () => {
    expect(startupProblems({}, io(files), { registrationPage: true })).toEqual([]);
    expect(startupProblems({ NODE_ENV: "production" } as NodeJS.ProcessEnv, io(files), { registrationPage: true }).map((p) => p.variable)).toEqual(["APP_ID"]);
  });

  it("finds a single .pem in the working directory under `probot run`, refuses two, and looks for none under npm start", () => {
    const probotRun = { registrationPage: true };
    expect(startupProblems({ APP_ID: "1", WEBHOOK_SECRET: "x" }, io({}, ["app.pem"]), probotRun)).toEqual([]);
    expect(startupProblems({ APP_ID: "1", WEBHOOK_SECRET: "x" }, io({}, ["a.pem", "b.pem"]), probotRun).map((p) => p.variable)).toEqual(["PRIVATE_KEY_PATH"]);
    expect(startupProblems({ APP_ID: "1", WEBHOOK_SECRET: "x" }, io({}, ["app.pem"])).map((p) => p.variable)).toEqual(["PRIVATE_KEY_PATH"]);
  });

  it("never prints a key's content", () => {
    const lines = startupProblems({ APP_ID: "1", WEBHOOK_SECRET: "x", PRIVATE_KEY: NOT_A_KEY }, io({})).map(formatStartupProblem);
    expect(lines.join("\n")).not.toContain("bm90IGEga2V5");
  });
});

describe(".env, read as npm start reads it", () => {
  it("fills in only what the environment lacks, like process.loadEnvFile", () => {
    const env: NodeJS.ProcessEnv = { PORT: "4000", GITLAB_TOKEN: "from-shell", EMPTY: "" };
    const result = applyDotEnv(env, "/srv", () => "# comment\nPORT=3000\nGITLAB_TOKEN=\nEMPTY=x\nAPP_ID=12\n");
    expect(env).toEqual({ PORT: "4000", GITLAB_TOKEN: "from-shell", EMPTY: "", APP_ID: "12" });
    expect(result).toEqual({ loaded: ["APP_ID"], ignored: ["EMPTY", "GITLAB_TOKEN", "PORT"] });
  });

  it("changes nothing without a .env, and a commented-out example sets nothing", () => {
    const env: NodeJS.ProcessEnv = { PORT: "4000" };
    expect(applyDotEnv(env, "/srv", () => { throw Object.assign(new Error("nope"), { code: "ENOENT" }); })).toEqual({ loaded: [], ignored: [] });
    expect(applyDotEnv(env, "/srv", () => readFileSync(".env.example", "utf8"))).toEqual({ loaded: [], ignored: [] });
    expect(env).toEqual({ PORT: "4000" });
  });
});
