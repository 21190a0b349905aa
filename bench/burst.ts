import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeGitHub } from "../test/e2e/fakes/fake-github.js";
import { startFakeGitLab } from "../test/e2e/fakes/fake-gitlab.js";
import { relayYaml, startApp } from "../test/e2e/fakes/launcher.js";
import { sendWebhook } from "../test/e2e/fakes/webhook-sender.js";
import { benchPushPayload } from "./payload.js";
import { fmt, percentile } from "./stats.js";

const WEBHOOKS = 1_000;
const INSTALLATIONS = 20;
const SENDERS = 32;
/** The old engine needs far longer than this for 1,000 pushes: the round reports what was done by then. */
const LIMIT_MS = Number(process.env.BENCH_BURST_LIMIT_SECONDS ?? 120) * 1000;

export interface BurstFigures {
  acked: number;
  ackP99: number;
  triggered: number;
  triggerP50: number;
  triggerP95: number;
  triggerMax: number;
  /** From the last ack to the last vendor trigger (target: within 10 s). */
  lastTriggerAfterLastAckMs: number;
  completed: number;
  completedP95: number;
  limitSeconds: number;
}

/**
 * (b) 1,000 signed pushes over 20 installations (one repository each, one GitLab pipeline per push), sent by
 * 32 concurrent senders; the fake GitLab answers every call after 50 ms, and its pipelines finish 1 s after creation.
 */
export async function burstRound(): Promise<BurstFigures> {
  const github = await startFakeGitHub();
  const gitlab = await startFakeGitLab({ pendingMs: 200, durationMs: 1000 });
  gitlab.addFault({ path: /./, delayMs: 50 });
  const workDir = mkdtempSync(join(tmpdir(), "relay-bench-burst-"));
  for (let installation = 0; installation < INSTALLATIONS; installation++) {
    github.setRepoConfig(
      `org${installation}/svc`,
      ['pipelines:', "  - name: build", "    connection: gitlab-a", '    on: { push: { branches: ["**"] } }', "    cancel_in_progress: false", "    gitlab: { project: group/svc }", ""].join("\n"),
    );
  }
  const app = await startApp({
    githubHost: github.host,
    relayConfigYaml: relayYaml([{ name: "gitlab-a", url: gitlab.url, rateLimit: { max_concurrent: 16, per_second: 200 } }], { poll_initial_seconds: 1, poll_max_seconds: 5, tick_seconds: 1, config_cache_seconds: 300 }),
    workDir,
    logLevel: "warn",
  });
  try {
    const acks = new Map<string, { ackAt: number; ms: number }>();
    const started = Date.now();
    let next = 0;
    const sender = async () => {
      while (next < WEBHOOKS) {
        const index = next++;
        const sha = (0x100000 + index).toString(16).padStart(40, "a");
        const installation = index % INSTALLATIONS;
        const payload = benchPushPayload(1000 + installation, `org${installation}`, "svc", sha);
        const answer = await sendWebhook(app.webhookUrl, app.webhookSecret, { event: "push", payload });
        if (answer.status === 200) acks.set(sha, { ackAt: Date.now(), ms: answer.ms });
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    const lastAck = Math.max(...[...acks.values()].map((ack) => ack.ackAt));

    const completedChecks = () => github.checkRuns.filter((check) => check.completedAt !== null).length;
    while (Date.now() - started < LIMIT_MS && completedChecks() < acks.size) await new Promise((resolve) => setTimeout(resolve, 250));

    const triggerDelays = gitlab.pipelines.flatMap((pipeline) => {
      const ack = acks.get(pipeline.variables.RELAY_SHA ?? "");
      return ack ? [pipeline.createdAt - ack.ackAt] : [];
    });
    const completedDelays = github.checkRuns.flatMap((check) => {
      const ack = acks.get(check.head_sha);
      return ack && check.completedAt !== null ? [check.completedAt - ack.ackAt] : [];
    });
    const lastTrigger = Math.max(...gitlab.pipelines.map((pipeline) => pipeline.createdAt));
    return {
      acked: acks.size,
      ackP99: percentile([...acks.values()].map((ack) => ack.ms), 99),
      triggered: triggerDelays.length,
      triggerP50: percentile(triggerDelays, 50),
      triggerP95: percentile(triggerDelays, 95),
      triggerMax: Math.max(...triggerDelays),
      lastTriggerAfterLastAckMs: triggerDelays.length === acks.size ? lastTrigger - lastAck : Number.NaN,
      completed: completedDelays.length,
      completedP95: percentile(completedDelays, 95),
      limitSeconds: LIMIT_MS / 1000,
    };
  } finally {
    await app.kill9();
    await github.close();
    await gitlab.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

export function printBurstRound(figures: BurstFigures, index: number): void {
  const s = (ms: number) => fmt(ms / 1000, 1);
  console.log(`\n(b) burst of ${WEBHOOKS} webhooks over ${INSTALLATIONS} installations (vendor answers in 50 ms), round ${index}, observed up to ${figures.limitSeconds} s:`);
  console.log(`  acked ${figures.acked}, ack p99 ${fmt(figures.ackP99, 1)} ms`);
  console.log(
    `  triggered ${figures.triggered}/${figures.acked}: webhook -> vendor trigger p50 ${s(figures.triggerP50)} s, p95 ${s(figures.triggerP95)} s, max ${s(figures.triggerMax)} s; last trigger ${Number.isNaN(figures.lastTriggerAfterLastAckMs) ? "not reached" : `${s(figures.lastTriggerAfterLastAckMs)} s after the last ack`}`,
  );
  console.log(`  completed checks ${figures.completed}/${figures.acked}: webhook -> completed check p95 ${s(figures.completedP95)} s (of those completed)`);
}
