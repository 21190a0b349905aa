import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The directory holding package.json: the same from test/e2e/fakes and from the compiled bench in dist/bench. */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
const PROBOT_BIN = join(PROJECT_ROOT, "node_modules/probot/bin/probot.js");
const APP_ENTRY = join(PROJECT_ROOT, "dist/index.js");

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "src"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no project root above ${start}`);
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Compiles the app (`tsc -p tsconfig.build.json`) when dist/index.js is older than any file in src/.
 * A lock directory keeps parallel jest workers from compiling at the same time.
 */
export function buildAppIfStale(): void {
  const lock = join(PROJECT_ROOT, "dist/.e2e-build-lock");
  mkdirSync(join(PROJECT_ROOT, "dist"), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another worker builds; a lock older than 3 minutes is left over from a killed run.
      if (waited > 180_000 || Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      sleepSync(200);
    }
  }
  try {
    const built = (() => {
      try {
        return statSync(APP_ENTRY).mtimeMs;
      } catch {
        return 0;
      }
    })();
    if (built < newestMtime(join(PROJECT_ROOT, "src"))) {
      execFileSync(process.execPath, [join(PROJECT_ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: PROJECT_ROOT, stdio: "inherit" });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

let cachedKey: string | undefined;
/** A throwaway RSA key for the App's JWTs (the fake GitHub does not check them). */
export function appPrivateKey(): string {
  cachedKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return cachedKey;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export interface ConnectionSpec {
  name: string;
  url: string;
  timeoutSeconds?: number;
  rateLimit?: { max_concurrent: number; per_second: number };
  /** GitLab callbacks on (the app needs GITLAB_CALLBACK_TOKEN in its environment). */
  callbacks?: { pollSeconds: number };
}

/** An operator config pointing every connection at a fake, with short poll intervals so tests stay quick. */
export function relayYaml(connections: ConnectionSpec[], tracker: Record<string, number> = {}): string {
  const lines = ["connections:"];
  for (const connection of connections) {
    lines.push(
      `  ${connection.name}:`,
      "    vendor: gitlab",
      `    url: ${connection.url}`,
      "    token: ${GITLAB_TOKEN}",
      '    repositories: ["*/*"]',
      `    timeout_seconds: ${connection.timeoutSeconds ?? 5}`,
    );
    // The secret comes from GITLAB_CALLBACK_TOKEN in the app's environment (credentials are never literals).
    if (connection.callbacks) lines.push("    callback_token: ${GITLAB_CALLBACK_TOKEN}", `    poll_seconds_with_callbacks: ${connection.callbacks.pollSeconds}`);
    if (connection.rateLimit) lines.push(`    rate_limit: { max_concurrent: ${connection.rateLimit.max_concurrent}, per_second: ${connection.rateLimit.per_second} }`);
  }
  const settings = { poll_initial_seconds: 0.5, poll_max_seconds: 1, tick_seconds: 0.2, config_cache_seconds: 0, ...tracker };
  lines.push("tracker:", ...Object.entries(settings).map(([key, value]) => `  ${key}: ${value}`));
  // Short leases so a killed replica's work is taken over within a test's patience; renewals keep live work.
  lines.push("engine:", "  lease_seconds: 10", "  shutdown_seconds: 20");
  return `${lines.join("\n")}\n`;
}

export interface AppProcessOptions {
  githubHost: string;
  relayConfigYaml: string;
  /** A SQLite file path or a postgres:// URL; a file in the work dir when unset. */
  database?: string;
  webhookSecret?: string;
  logLevel?: string;
  /** A directory kept across restarts (config, store, logs). */
  workDir?: string;
  env?: Record<string, string>;
  /** Another Probot app file to run instead of dist/index.js (the benchmark's bare Probot app). */
  entry?: string;
}

export interface AppProcess {
  url: string;
  webhookUrl: string;
  port: number;
  pid: number;
  workDir: string;
  database: string;
  webhookSecret: string;
  /** True once the process has exited. */
  readonly dead: boolean;
  /** Resolves when the process exits: its code, signal and when. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  kill9(): Promise<void>;
  /** Sends SIGTERM; resolves with the exit and how long it took. */
  terminate(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  /** The process's log so far (stdout and stderr). */
  log(): string;
}

/** Starts `probot run ./dist/index.js` against the fakes and waits until it answers /ping. */
export async function startApp(options: AppProcessOptions): Promise<AppProcess> {
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "relay-e2e-"));
  const configFile = join(workDir, "relay.yml");
  writeFileSync(configFile, options.relayConfigYaml);
  const database = options.database ?? join(workDir, "relay.sqlite");
  const webhookSecret = options.webhookSecret ?? "e2e-webhook-secret";
  const port = await freePort();
  const logFile = join(workDir, `app-${port}.log`);
  const logFd = openSync(logFile, "a");
  // RELAY_E2E_NODE_ARGS: extra Node.js flags for the app process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to
  // profile it; the profile is written when the process exits normally, so stop it with terminate(), not kill9()).
  const nodeArgs = (process.env.RELAY_E2E_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, PROBOT_BIN, "run", options.entry ?? APP_ENTRY], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      APP_ID: "1",
      PRIVATE_KEY: appPrivateKey(),
      WEBHOOK_SECRET: webhookSecret,
      GHE_HOST: options.githubHost,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: options.logLevel ?? "info",
      RELAY_CONFIG: configFile,
      RELAY_DATABASE: database,
      GITLAB_TOKEN: "e2e-fake-gitlab-token",
      ...options.env,
    } as Record<string, string> as NodeJS.ProcessEnv,
    stdio: ["ignore", logFd, logFd],
  });
  closeSync(logFd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolveExit) =>
    child.once("exit", (code, signal) => resolveExit({ code, signal, at: Date.now() })),
  );
  const url = `http://127.0.0.1:${port}`;
  const log = () => {
    try {
      return readFileSync(logFile, "utf8");
    } catch {
      return "";
    }
  };
  const app: AppProcess = {
    url,
    webhookUrl: `${url}/api/github/webhooks`,
    port,
    pid: child.pid!,
    workDir,
    database,
    webhookSecret,
    get dead() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    exited,
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    terminate: async (timeoutMs = 40_000) => {
      const started = Date.now();
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return { code: result.code, signal: result.signal, ms: result.at - started };
    },
    log,
  };
  await waitForPing(app, 30_000);
  return app;
}

async function waitForPing(app: AppProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void app.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`${app.url}/ping`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  await app.kill9();
  throw new Error(`pipeline-relay did not answer /ping (exited: ${exited}); its log:\n${app.log().slice(-4000)}`);
}
