import { randomBytes } from "node:crypto";
import { startFakeGitHub } from "../test/e2e/fakes/fake-github.js";
import { startFakeGitLab } from "../test/e2e/fakes/fake-gitlab.js";
import { relayYaml, startApp } from "../test/e2e/fakes/launcher.js";
import { pushPayload, sendWebhook } from "../test/e2e/fakes/webhook-sender.js";
import { fmt, percentile } from "./stats.js";

const RUNS = 20;
/**
 * Pushes are spread out: Probot paces an installation's GitHub writes a second apart, so a burst of 20 runs would
 * measure that queue instead of the way from the vendor to GitHub.
 */
const PUSH_SPACING_MS = 3_000;
const CALLBACK_TOKEN = "bench-gitlab-callback-token";
/** Pipelines run 5 to 60 s (spread so they end at every phase of the poll backoff). */
const durationFor = (index: number) => 5_000 + ((index * 37) % 56) * 1000;

export interface LatencyFigures {
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Pipeline reads (GET /pipelines/:id) per run: the vendor calls polling costs. */
  pollsPerRun: number;
}

/**
 * (e) Vendor finishes → GitHub check completed, with the default polling (5 s growing to 60 s) and with GitLab
 * callbacks (the fake GitLab calls the app's callback endpoint when a pipeline starts and ends). The real app
 * process against the fakes; 20 pipelines of 5–60 s each.
 */
export async function callbackRound(): Promise<{ polling: LatencyFigures; callbacks: LatencyFigures }> {
  return { polling: await measure(false), callbacks: await measure(true) };
}

async function measure(withCallbacks: boolean): Promise<LatencyFigures> {
  const github = await startFakeGitHub();
  const gitlab = await startFakeGitLab({ pendingMs: 500, durationFor });
  github.setRepoConfig(
    "acme/svc",
    ["pipelines:", "  - name: build", "    connection: gitlab-a", '    on: { push: { branches: ["**"] } }', "    cancel_in_progress: false", '    gitlab: { project: "group/svc" }', ""].join("\n"),
  );
  const connection = { name: "gitlab-a", url: gitlab.url, ...(withCallbacks ? { callbacks: { pollSeconds: 300 } } : {}) };
  const app = await startApp({
    githubHost: github.host,
    relayConfigYaml: relayYaml([connection], { poll_initial_seconds: 5, poll_max_seconds: 60, tick_seconds: 1 }),
    env: { GITLAB_CALLBACK_TOKEN: CALLBACK_TOKEN },
    logLevel: "warn",
  });
  if (withCallbacks) gitlab.setHook({ url: `${app.url}/pipeline-relay/callbacks/gitlab/gitlab-a`, token: CALLBACK_TOKEN });
  try {
    const shas: string[] = [];
    for (let index = 0; index < RUNS; index++) {
      const sha = randomBytes(20).toString("hex");
      shas.push(sha);
      await sendWebhook(app.webhookUrl, app.webhookSecret, { event: "push", payload: pushPayload({ installationId: 1, owner: "acme", repo: "svc", sha }) });
      await new Promise((resolve) => setTimeout(resolve, PUSH_SPACING_MS));
    }
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && github.checkRuns.filter((check) => check.completedAt !== null).length < RUNS) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const latencies = shas.flatMap((sha) => {
      const pipeline = gitlab.pipelines.find((p) => p.sha === sha);
      const check = github.checkRuns.find((c) => c.head_sha === sha && c.completedAt !== null);
      return pipeline && check ? [check.completedAt! - (pipeline.createdAt + pipeline.durationMs)] : [];
    });
    // BENCH_DEBUG=1: one line per run (pipeline, duration, check completed after, callbacks, polls; ms from creation).
    if (process.env.BENCH_DEBUG) {
      for (const sha of shas) {
        const pipeline = gitlab.pipelines.find((p) => p.sha === sha)!;
        const check = github.checkRuns.find((c) => c.head_sha === sha)!;
        const calls = gitlab.hookCalls.filter((c) => c.pipeline === pipeline.id).map((c) => `${c.status}@${c.at - pipeline.createdAt}:${c.answer}`);
        const gets = gitlab.requests.filter((r) => r.method === "GET" && r.path.endsWith(`/pipelines/${pipeline.id}`)).map((r) => r.at - pipeline.createdAt);
        console.log(pipeline.id, pipeline.durationMs, (check?.completedAt ?? NaN) - pipeline.createdAt, calls.join(" "), "gets", gets.join(","));
      }
    }
    const polls = gitlab.requests.filter((request) => request.method === "GET" && /\/pipelines\/\d+$/.test(request.path)).length;
    return {
      runs: latencies.length,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      maxMs: Math.max(...latencies),
      pollsPerRun: polls / Math.max(1, latencies.length),
    };
  } finally {
    await app.kill9();
    await github.close();
    await gitlab.close();
  }
}

export function printCallbackRound(figures: { polling: LatencyFigures; callbacks: LatencyFigures }, index: number): void {
  const line = (name: string, f: LatencyFigures) =>
    `${name}: ${f.runs}/${RUNS} runs, p50 ${fmt(f.p50Ms / 1000, 2)} s, p95 ${fmt(f.p95Ms / 1000, 2)} s, max ${fmt(f.maxMs / 1000, 2)} s, ${fmt(f.pollsPerRun, 1)} polls per run`;
  console.log(`\n(e) vendor finished → GitHub check completed, round ${index}\n    ${line("polling", figures.polling)}\n    ${line("callbacks", figures.callbacks)}`);
}
