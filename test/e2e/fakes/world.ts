import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeGitHub, type FakeGitHub } from "./fake-github.js";
import { startFakeGitLab, type FakeGitLab, type FakeGitLabOptions } from "./fake-gitlab.js";
import { findViolations, isSettled, type ExpectedTrigger, type Findings } from "./invariants.js";
import { relayYaml, startApp, type AppProcess, type ConnectionSpec } from "./launcher.js";
import { pushPayload, sendWebhook } from "./webhook-sender.js";

export interface WorldOptions {
  /** One fake GitLab per connection name (default: one, "gitlab-a"). */
  connections?: string[];
  gitlab?: FakeGitLabOptions;
  /** Extra connection settings per connection name. */
  connectionSettings?: Record<string, Partial<ConnectionSpec>>;
  tracker?: Record<string, number>;
  /** RELAY_DATABASE; a SQLite file in the work dir when unset. */
  database?: string;
}

export interface PushSpec {
  installationId: number;
  owner: string;
  repo: string;
  sha?: string;
}

/** Fakes, one or more app processes on one store, and the bookkeeping a fault test needs. */
export class World {
  readonly apps: AppProcess[] = [];
  readonly expected: ExpectedTrigger[] = [];
  readonly workDir = mkdtempSync(join(tmpdir(), "relay-e2e-"));
  readonly #configured = new Set<string>();

  private constructor(
    readonly github: FakeGitHub,
    readonly gitlabs: Map<string, FakeGitLab>,
    private readonly options: WorldOptions,
  ) {}

  static async create(options: WorldOptions = {}): Promise<World> {
    const github = await startFakeGitHub();
    const gitlabs = new Map<string, FakeGitLab>();
    for (const name of options.connections ?? ["gitlab-a"]) gitlabs.set(name, await startFakeGitLab(options.gitlab));
    return new World(github, gitlabs, options);
  }

  gitlab(name = "gitlab-a"): FakeGitLab {
    return this.gitlabs.get(name)!;
  }

  /** Gives `owner/repo` a pipelines.yml with one push pipeline on `connection` (GitLab project `group/<repo>`). */
  configureRepo(owner: string, repo: string, connection = "gitlab-a", pipeline = "build"): void {
    const key = `${owner}/${repo}`;
    this.#configured.add(`${key} ${pipeline}`);
    this.github.setRepoConfig(
      key,
      [
        "pipelines:",
        `  - name: ${pipeline}`,
        `    connection: ${connection}`,
        '    on: { push: { branches: ["**"] } }',
        "    cancel_in_progress: false",
        `    gitlab: { project: "group/${repo}" }`,
        "",
      ].join("\n"),
    );
  }

  async startApp(env: Record<string, string> = {}): Promise<AppProcess> {
    const connections = [...this.gitlabs].map(([name, fake]) => ({ name, url: fake.url, ...this.options.connectionSettings?.[name] }));
    const app = await startApp({
      githubHost: this.github.host,
      relayConfigYaml: relayYaml(connections, this.options.tracker),
      workDir: this.workDir,
      ...(this.options.database ? { database: this.options.database } : {}),
      env,
    });
    this.apps.push(app);
    return app;
  }

  /** Sends a signed push; the trigger is expected when the repository has a pipeline. Returns the ack. */
  async push(spec: PushSpec, app: AppProcess = this.apps.at(-1)!): Promise<{ status: number; ms: number; sha: string }> {
    const sha = spec.sha ?? randomBytes(20).toString("hex");
    const payload = pushPayload({ installationId: spec.installationId, owner: spec.owner, repo: spec.repo, sha });
    const answer = await sendWebhook(app.webhookUrl, app.webhookSecret, { event: "push", payload });
    const repository = `${spec.owner}/${spec.repo}`;
    for (const entry of this.#configured) {
      const [configured, pipeline] = entry.split(" ");
      if (configured === repository && answer.status >= 200 && answer.status < 300) this.expected.push({ repository, sha, pipeline: pipeline! });
    }
    return { ...answer, sha };
  }

  findings(): Findings {
    const pipelines = [...this.gitlabs.values()].flatMap((fake) => fake.pipelines.map((p) => ({ variables: p.variables, status: fake.statusOf(p) })));
    return findViolations(this.expected, pipelines, this.github.checkRuns);
  }

  /** Waits until every expected trigger is settled (or the time is up), then a little longer to catch late duplicates. */
  async settle(timeoutMs: number, graceMs = 1500): Promise<Findings> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !isSettled(this.findings())) await sleep(200);
    await sleep(graceMs);
    const findings = this.findings();
    // A failure in CI must explain itself: the apps' warnings and errors go to the test output.
    if (!isSettled(findings)) console.warn(`not settled; the apps' warnings and errors:\n${this.warnings().slice(-6000)}${this.#duplicateStory(findings)}`);
    return findings;
  }

  /** For each duplicated check: the check runs GitHub holds, and every app log line naming their run ids. */
  #duplicateStory(findings: Findings): string {
    const stories = findings.duplicateChecks.map((entry) => {
      const key = entry.replace(/ x\d+$/, "");
      const checks = this.github.checkRuns.filter((check) => `${check.owner}/${check.repo}@${check.head_sha} ${check.name}` === key);
      const runIds = new Set(checks.map((check) => check.external_id).filter(Boolean));
      const names = [...runIds].map((id) => new RegExp(`runId"?:\\s*"?${id}\\b|run ${id}\\b`));
      const lines = this.apps.flatMap((app, index) =>
        logEntries(app.log())
          .filter((entry) => names.some((name) => name.test(entry)))
          .map((entry) => `[app ${index}] ${entry}`),
      );
      const seen = checks.map((check) => `  check ${check.id} external_id=${check.external_id} created=${new Date(check.createdAt).toISOString()} history=${check.history.join(">")}`);
      return [`${entry}:`, ...seen, ...lines.slice(-40)].join("\n");
    });
    return stories.length > 0 ? `\nduplicated checks:\n${stories.join("\n")}` : "";
  }

  /** Log lines at warn level or above from every app process so far (killed ones included). */
  warnings(): string {
    return this.apps
      .flatMap((app, index) => logEntries(app.log()).filter((entry) => /"level":(4|5|6)\d/.test(entry) || /^(WARN|ERROR|FATAL)\b/.test(entry)).map((entry) => `[app ${index}] ${entry}`))
      .join("\n");
  }

  /** Waits until `condition` holds; throws with `what` when the time is up. */
  async until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; app log tail:\n${this.apps.at(-1)?.log().slice(-3000) ?? ""}`);
      await sleep(50);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.apps.map((app) => app.kill9()));
    await this.github.close();
    for (const fake of this.gitlabs.values()) await fake.close();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

/**
 * The app's log as entries, one line each: Probot's pretty format puts an entry's fields on the indented lines
 * that follow its message, and a failure report needs them (the error, the run id) next to the message.
 */
export function logEntries(log: string): string[] {
  const entries: string[] = [];
  for (const line of log.split("\n")) {
    if (/^\s/.test(line) && entries.length > 0) entries[entries.length - 1] += ` ${line.trim()}`;
    else if (line.length > 0) entries.push(line);
  }
  return entries;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
