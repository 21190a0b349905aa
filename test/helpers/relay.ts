import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { parse as parseYaml } from "yaml";
import { createRelayApp, type Relay } from "../../src/app.js";
import { parseOperatorConfig } from "../../src/config/operator-config.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";

/** A credential value that must never appear in anything the app writes or logs. */
export const CANARY_TOKEN = "canary-secret-7f3e9a1c5b2d";

export const DEFAULT_OPERATOR_YAML = `
connections:
  corp-gitlab:
    vendor: gitlab
    url: https://gitlab.example.com
    token: \${GITLAB_TOKEN}
    repositories: ["Codertocat/*"]
    rate_limit: { max_concurrent: 4, per_second: 1000 }
  other-gitlab:
    vendor: gitlab
    url: https://gitlab.other.example.com
    token: \${GITLAB_TOKEN}
    repositories: ["someone-else/*"]
tracker:
  poll_initial_seconds: 5
  poll_max_seconds: 60
  default_timeout_minutes: 60
`;

export interface TestRelay {
  probot: Probot;
  relay: Relay;
  store: SqliteStore;
  logs: string[];
  now(): number;
  advance(ms: number): void;
  /** Delivers a webhook as GitHub would and lets the worker handle it. */
  receive(name: string, payload: unknown, deliveryId?: string): Promise<void>;
  /** Delivers a webhook without letting the worker run (as if the process died right after answering). */
  deliver(name: string, payload: unknown, deliveryId?: string): Promise<void>;
  /** Moves time by a second (a cancel's confirming poll) and runs every due unit of work (returns how many). */
  soon(): Promise<number>;
  /** Moves time past the longest poll delay and runs every due unit of work (returns how many). */
  poll(): Promise<number>;
}

let deliveries = 0;

export async function createTestRelay(
  options: { operatorYaml?: string; env?: Record<string, string>; store?: SqliteStore; startAt?: number; configCacheSeconds?: number } = {},
): Promise<TestRelay> {
  const logs: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  const TestOctokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });
  const probot = new Probot({ githubToken: "test", log, Octokit: TestOctokit });
  // Probot's installation clients pace writes one second apart (GitHub's secondary limits); tests need no pacing.
  const github = async () => new TestOctokit({ auth: { token: "test" }, log: log.child({ name: "github" }) });
  const operator = parseOperatorConfig(parseYaml(options.operatorYaml ?? DEFAULT_OPERATOR_YAML), "relay.yml", {
    GITLAB_TOKEN: CANARY_TOKEN,
    ...options.env,
  });
  // Each event reads .github/pipelines.yml unless a test is about the cache: mocks then say exactly what is read.
  operator.tracker.config_cache_seconds = options.configCacheSeconds ?? 0;
  const store = options.store ?? new SqliteStore(":memory:");
  let now = options.startAt ?? Date.parse("2026-11-23T10:00:00Z");
  let relay: Relay | undefined;
  await probot.load(
    createRelayApp(
      { operator, store, clock: () => now, autoStart: false, github, httpRetry: { limit: 2, maxRetryAfterMs: 5, delayMs: () => 1 } },
      (ready) => (relay = ready),
    ),
  );
  return {
    probot,
    relay: relay!,
    store,
    logs,
    now: () => now,
    advance: (ms) => void (now += ms),
    async receive(name, payload, deliveryId = `delivery-${++deliveries}`) {
      await probot.receive({ id: deliveryId, name, payload } as never);
      await relay!.runUntilIdle();
    },
    async deliver(name, payload, deliveryId = `delivery-${++deliveries}`) {
      await probot.receive({ id: deliveryId, name, payload } as never);
    },
    async soon() {
      now += 1_000;
      return relay!.runUntilIdle();
    },
    async poll() {
      now += 61_000;
      return relay!.runUntilIdle();
    },
  };
}
