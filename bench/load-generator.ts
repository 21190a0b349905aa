import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { percentile } from "./stats.js";
import { sign } from "../test/e2e/fakes/webhook-sender.js";

/**
 * A small keep-alive load generator, run as its own process so its CPU is not the server's:
 * `node load-generator.js '<json options>'`; prints one JSON line with the results.
 * closed: `connections` requests in flight for `durationMs` (after `warmupMs`): the server's capacity.
 * open: `rate` requests a second whatever the answers (latency counted from the scheduled time).
 */
interface Options {
  url: string;
  secret: string;
  payloadFile: string;
  mode: "closed" | "open";
  connections: number;
  rate?: number;
  durationMs: number;
  warmupMs: number;
}

const options = JSON.parse(process.argv[2]!) as Options;
const body = readFileSync(options.payloadFile, "utf8");
const signature = sign(options.secret, body);
const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
const target = new URL(options.url);

function send(): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "x-github-event": "push",
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": signature,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

const latencies: number[] = [];
const statuses: Record<string, number> = {};
let measuring = false;

async function timed(startedAt: number): Promise<void> {
  const status = await send();
  if (!measuring) return;
  latencies.push(performance.now() - startedAt);
  statuses[status] = (statuses[status] ?? 0) + 1;
}

async function closedLoop(stopAt: () => boolean): Promise<void> {
  const worker = async () => {
    while (!stopAt()) await timed(performance.now());
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
}

async function openLoop(stopAt: () => boolean): Promise<void> {
  const interval = 1000 / options.rate!;
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  while (!stopAt()) {
    const due = Math.floor((performance.now() - start) / interval);
    for (; sent < due; sent++) inFlight.push(timed(start + sent * interval));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
}

const begin = performance.now();
const measureFrom = begin + options.warmupMs;
const end = measureFrom + options.durationMs;
setTimeout(() => {
  measuring = true;
  process.send?.({ measuring: true });
}, options.warmupMs);
const stop = () => performance.now() >= end;
await (options.mode === "closed" ? closedLoop(stop) : openLoop(stop));
const seconds = options.durationMs / 1000;
process.stdout.write(
  `${JSON.stringify({
    count: latencies.length,
    reqPerSec: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    statuses,
  })}\n`,
);
agent.destroy();
