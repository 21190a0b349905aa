import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../src/storage/sqlite-store.js";
import { startFakeGitHub } from "../test/e2e/fakes/fake-github.js";
import { startFakeGitLab } from "../test/e2e/fakes/fake-gitlab.js";
import { relayYaml, startApp } from "../test/e2e/fakes/launcher.js";
import { fmt, median, processRssMb } from "./stats.js";

const FINISHED = 100_000;
const TRACKED = 10_000;
/** Tracked runs whose poll is due in each round (the rest are polled later). */
const DUE_PER_ROUND = 16;

/**
 * The store calls a tracker round makes, written for both store contracts: the leased one of the rebuilt engine
 * (`claimRuns` per lane, src/storage/types.ts on main) when the store has it, else the serial engine's `dueRuns`.
 * Only the structural shape is named here, so this file compiles against either.
 */
interface AnyStore {
  createRun(run: unknown): Promise<{ id: number } | undefined>;
  updateRun(id: number, patch: Record<string, unknown>, now: number): Promise<unknown>;
  dueRuns?(now: number, staleBefore: number): Promise<unknown[]>;
  claimRuns?(lane: "vendor" | "github", options: { owner: string; now: number; leaseMs: number; limit: number }): Promise<Array<{ run: { id: number }; fence: unknown }>>;
  releaseRun?(id: number, fence: unknown): Promise<void>;
  close(): void | Promise<void>;
}

function newRun(index: number, now: number) {
  const sha = index.toString(16).padStart(40, "0");
  return {
    installationId: 1 + (index % 20),
    owner: `org${index % 20}`,
    repo: "svc",
    sha,
    pipeline: "build",
    ref: "main",
    attempt: 1,
    triggerKey: `org${index % 20}/svc@${sha}:build`,
    vendor: "gitlab",
    connection: "gitlab-a",
    request: JSON.stringify({ trigger: { target: { project: "group/svc" }, variables: {} }, event: "push" }),
    prNumber: null,
    state: "pending",
    reportMode: "checks",
    timeoutAt: now + 3600_000,
    createdAt: now - 60_000,
    nextPollAt: null,
  };
}

/** Fills a SQLite store: 100,000 finished runs, 10,000 tracked (running) ones of which 16 are due now. */
async function fill(file: string, now: number): Promise<void> {
  const store = new SqliteStore(file) as unknown as AnyStore;
  // The serial engine's store has no publish_due_at column: name it only for the leased store.
  const leased = typeof store.claimRuns === "function" ? { publishDueAt: null } : {};
  for (let index = 0; index < FINISHED + TRACKED; index++) {
    const created = await store.createRun(newRun(index, now));
    if (!created) throw new Error("createRun refused a fresh trigger key");
    const finished = index < FINISHED;
    const dueNow = !finished && index < FINISHED + DUE_PER_ROUND;
    await store.updateRun(
      created.id,
      finished
        ? { state: "success", vendorRunId: String(index), finishedAt: now - 30_000, view: null, viewKey: null, reported: null, nextPollAt: null, ...leased }
        : { state: "running", vendorRunId: String(index), checkRunId: index, view: "{}", viewKey: "k", reported: "k", nextPollAt: dueNow ? now - 1000 : now + 3600_000, ...leased },
      now - 30_000,
    );
  }
  await store.close();
}

export interface TrackerFigures {
  api: "claimRuns" | "dueRuns";
  fillSeconds: number;
  roundMedianMs: number;
  roundMaxMs: number;
  dueFound: number;
  appRssMb: number;
}

/**
 * (d) The store side of one tracker round (find the due work) over 100,000 finished + 10,000 tracked runs,
 * median of 50 rounds; then the real app started on that store, idle (nothing due but the 16), for its RSS.
 */
let template: { file: string; now: number; fillSeconds: number } | undefined;

/** Filled once per bench run (about a minute through the store API) and copied for each round. */
async function filledStore(): Promise<{ file: string; now: number; fillSeconds: number }> {
  if (!template) {
    const dir = mkdtempSync(join(tmpdir(), "relay-bench-template-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const now = Date.now();
    const started = performance.now();
    await fill(join(dir, "relay.sqlite"), now);
    template = { file: join(dir, "relay.sqlite"), now, fillSeconds: (performance.now() - started) / 1000 };
  }
  return template;
}

export async function trackerRound(): Promise<TrackerFigures> {
  const { file: templateFile, now, fillSeconds } = await filledStore();
  const workDir = mkdtempSync(join(tmpdir(), "relay-bench-tracker-"));
  const file = join(workDir, "relay.sqlite");
  copyFileSync(templateFile, file);
  try {
    const store = new SqliteStore(file) as unknown as AnyStore;
    const api = typeof store.claimRuns === "function" ? "claimRuns" : "dueRuns";
    const times: number[] = [];
    let dueFound = 0;
    for (let round = 0; round < 50; round++) {
      const begin = performance.now();
      if (store.claimRuns) {
        const vendor = await store.claimRuns("vendor", { owner: "bench", now, leaseMs: 30_000, limit: DUE_PER_ROUND });
        const github = await store.claimRuns("github", { owner: "bench", now, leaseMs: 30_000, limit: DUE_PER_ROUND });
        times.push(performance.now() - begin);
        dueFound = vendor.length + github.length;
        // Give the leases back so the next round finds the same work.
        for (const claimed of [...vendor, ...github]) await store.releaseRun!(claimed.run.id, claimed.fence);
      } else {
        dueFound = (await store.dueRuns!(now, now - 120_000)).length;
        times.push(performance.now() - begin);
      }
    }
    await store.close();
    return { api, fillSeconds, roundMedianMs: median(times), roundMaxMs: Math.max(...times), dueFound, appRssMb: await appRss(workDir, file) };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** RSS of the real app process on the filled store, after 10 s of its own rounds (the due runs polled against a fake GitLab). */
async function appRss(workDir: string, database: string): Promise<number> {
  const github = await startFakeGitHub();
  const gitlab = await startFakeGitLab({ pendingMs: 0, durationMs: 3600_000 });
  try {
    const app = await startApp({ githubHost: github.host, relayConfigYaml: relayYaml([{ name: "gitlab-a", url: gitlab.url }], { poll_initial_seconds: 1, poll_max_seconds: 60, tick_seconds: 1 }), workDir, database, logLevel: "warn" });
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const rss = processRssMb(app.pid);
    await app.kill9();
    return rss;
  } finally {
    await github.close();
    await gitlab.close();
  }
}

export function printTrackerRound(figures: TrackerFigures, index: number): void {
  console.log(
    `\n(d) tracker round over ${FINISHED} finished + ${TRACKED} tracked runs (SQLite, ${figures.api}), round ${index}: median ${fmt(figures.roundMedianMs, 2)} ms, max ${fmt(figures.roundMaxMs, 2)} ms, ${figures.dueFound} due found; app RSS ${fmt(figures.appRssMb, 0)} MB; store filled in ${fmt(figures.fillSeconds, 0)} s`,
  );
}
