import { fork, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeGitHub } from "../test/e2e/fakes/fake-github.js";
import { freePort, relayYaml, startApp } from "../test/e2e/fakes/launcher.js";
import { benchPushPayload } from "./payload.js";
import { fmt, processCpuMs } from "./stats.js";

const here = dirname(fileURLToPath(import.meta.url));
const SECRET = "bench-webhook-secret";

interface LoadResult {
  count: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

export interface AckFigures {
  server: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  cpuUsPerRequest: number;
  non200: number;
}

export interface RunningServer {
  pid: number;
  /** Where the webhooks go. */
  url: string;
  /** The app's own address (its /metrics), for Probot processes. */
  appUrl?: string;
  stop(): Promise<void>;
}

/** Closed loop: 1 s at full concurrency before the 5 s measured (4,000 or more requests). */
const CLOSED_LOOP_WARMUP_MS = 1000;
/**
 * Open loop: 4 s at the measured rate before the 5 s measured. A process just started runs slower for its first
 * one to two seconds (V8 compiling the hot code, on the same two cores as the load), and an open loop, unlike a
 * closed one, carries the queue it built then into the window: measured on this machine, a bare Probot app at half
 * its capacity answered with p99 0.9-1.0 s over its first 5 s after 1 s of warm-up, and 18 ms once warm. The cold
 * figures are printed too (from the first request, no warm-up).
 */
export const OPEN_LOOP_WARMUP_MS = 4000;

/** Runs the load generator in its own process; measures the server's CPU over the measured window only. */
export function load(server: RunningServer, payloadFile: string, mode: "closed" | "open", rate?: number, warmupMs = mode === "open" ? OPEN_LOOP_WARMUP_MS : CLOSED_LOOP_WARMUP_MS): Promise<{ result: LoadResult; cpuMs: number }> {
  const options = { url: server.url, secret: SECRET, payloadFile, mode, connections: 32, rate, durationMs: 5000, warmupMs };
  const child = fork(join(here, "load-generator.js"), [JSON.stringify(options)], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  let cpuAtStart = 0;
  child.on("message", () => (cpuAtStart = processCpuMs(server.pid)));
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("exit", (code) => {
      const cpuMs = processCpuMs(server.pid) - cpuAtStart;
      if (code !== 0) reject(new Error(`load generator exited ${code}`));
      else resolve({ result: JSON.parse(output) as LoadResult, cpuMs });
    });
  });
}

async function startBareHttp(): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(here, "servers/bare-http.js")], { env: { ...process.env, PORT: String(port), WEBHOOK_SECRET: SECRET }, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  return {
    pid: child.pid!,
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

export async function startProbotProcess(githubHost: string, entry?: string): Promise<RunningServer> {
  const workDir = mkdtempSync(join(tmpdir(), "relay-bench-ack-"));
  const app = await startApp({
    githubHost,
    // The operator defaults (config cached 300 s, as shipped): the e2e tests turn the cache off, a deployment does not.
    relayConfigYaml: relayYaml([{ name: "gitlab-a", url: "http://127.0.0.1:9" }], { config_cache_seconds: 300, poll_initial_seconds: 5, poll_max_seconds: 60, tick_seconds: 1 }),
    workDir,
    webhookSecret: SECRET,
    logLevel: "warn",
    ...(entry ? { entry } : {}),
  });
  return {
    pid: app.pid,
    url: app.webhookUrl,
    appUrl: app.url,
    stop: async () => {
      await app.kill9();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

export function figures(server: string, { result, cpuMs }: { result: LoadResult; cpuMs: number }): AckFigures {
  const non200 = Object.entries(result.statuses).reduce((sum, [status, count]) => (status === "200" ? sum : sum + count), 0);
  return { server, reqPerSec: result.reqPerSec, p50: result.p50, p99: result.p99, cpuUsPerRequest: (cpuMs * 1000) / Math.max(1, result.count), non200 };
}

export interface AckRound {
  bare: AckFigures;
  probot: AckFigures;
  relay: AckFigures;
  /** The target figure: the relay at half its capacity, warm. */
  relayAtHalf: AckFigures;
  /** The same rate from the first request after the process started. */
  relayAtHalfCold: AckFigures;
  /** The reference: bare Probot at half its own capacity, warm and cold. */
  probotAtHalf: AckFigures;
  probotAtHalfCold: AckFigures;
}

/**
 * (a) One round: each server at capacity (32 keep-alive connections, 5 s after 1 s warm-up), then the relay at half
 * its own capacity (open loop) for its latency, warm and cold, and bare Probot at half its own capacity the same
 * two ways for reference. The relay's repository has no pipelines.yml (the fake GitHub answers 404, and the answer
 * is cached), so its background work per delivery is handling the push from the cached config.
 */
export async function ackRound(): Promise<AckRound> {
  return withBenchSetup(async (github, payloadFile) => {
    const measure = async (name: string, start: () => Promise<RunningServer>, mode: "closed" | "open" = "closed", rate?: number, warmupMs?: number) => {
      const server = await start();
      try {
        return figures(name, await load(server, payloadFile, mode, rate, warmupMs));
      } finally {
        await server.stop();
      }
    };
    const startNoop = () => startProbotProcess(github.host, join(here, "servers/noop-app.js"));
    const startRelay = () => startProbotProcess(github.host);
    const bare = await measure("bare node:http + HMAC", startBareHttp);
    const probot = await measure("bare Probot (no-op handler)", startNoop);
    const relay = await measure("pipeline-relay", startRelay);
    const relayAtHalf = await measure("pipeline-relay at half capacity", startRelay, "open", relay.reqPerSec / 2);
    const relayAtHalfCold = await measure("  the same, cold (no warm-up)", startRelay, "open", relay.reqPerSec / 2, 0);
    const probotAtHalf = await measure("bare Probot at half its capacity", startNoop, "open", probot.reqPerSec / 2);
    const probotAtHalfCold = await measure("  the same, cold (no warm-up)", startNoop, "open", probot.reqPerSec / 2, 0);
    return { bare, probot, relay, relayAtHalf, relayAtHalfCold, probotAtHalf, probotAtHalfCold };
  });
}

/** A fake GitHub and the signed push's file for one round; both go away after it. */
export async function withBenchSetup<T>(round: (github: { host: string }, payloadFile: string) => Promise<T>): Promise<T> {
  const github = await startFakeGitHub();
  const workDir = mkdtempSync(join(tmpdir(), "relay-bench-payload-"));
  const payloadFile = join(workDir, "push.json");
  writeFileSync(payloadFile, JSON.stringify(benchPushPayload(1, "bench", "ack", "9".repeat(40))));
  try {
    return await round(github, payloadFile);
  } finally {
    await github.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The rates of (f): below, at and above the old half-capacity point of the relay. */
export const FIXED_RATES = [1000, 1500] as const;

/**
 * (f) The relay alone in an open loop at fixed rates (same process, payload and generator as (a)): the ack latency
 * at a rate that does not move with the round's measured capacity.
 */
export async function fixedRateRound(rates: readonly number[] = FIXED_RATES): Promise<AckFigures[]> {
  return withBenchSetup(async (github, payloadFile) => {
    const rows: AckFigures[] = [];
    for (const rate of rates) {
      const server = await startProbotProcess(github.host);
      try {
        rows.push(figures(`pipeline-relay at ${rate} req/s`, await load(server, payloadFile, "open", rate)));
      } finally {
        await server.stop();
      }
    }
    return rows;
  });
}

export function printFixedRateRound(rows: AckFigures[], index: number): void {
  console.log(`\n(f) ack path at fixed rates (open loop), round ${index}`);
  for (const row of rows) printAckRow(row);
}

function printAckRow(row: AckFigures): void {
  console.log(
    `  ${row.server.padEnd(34)} ${fmt(row.reqPerSec, 0).padStart(6)} req/s  p50 ${fmt(row.p50, 2).padStart(6)} ms  p99 ${fmt(row.p99, 2).padStart(7)} ms  CPU ${fmt(row.cpuUsPerRequest, 0).padStart(5)} µs/req${row.non200 ? `  non-200: ${row.non200}` : ""}`,
  );
}

export function printAckRound(round: AckRound, index: number): void {
  console.log(`\n(a) ack path, round ${index}`);
  for (const row of [round.bare, round.probot, round.relay, round.relayAtHalf, round.relayAtHalfCold, round.probotAtHalf, round.probotAtHalfCold]) printAckRow(row);
  console.log(
    `  ratios: relay/probot throughput ${fmt(round.relay.reqPerSec / round.probot.reqPerSec, 2)}, relay/bare CPU per request ${fmt(round.relay.cpuUsPerRequest / round.bare.cpuUsPerRequest, 2)}, relay/probot CPU per request ${fmt(round.relay.cpuUsPerRequest / round.probot.cpuUsPerRequest, 2)}`,
  );
}
