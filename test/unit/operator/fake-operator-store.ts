import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { NodeHandler } from "../../../src/operator/http-access.js";
import type { OperatorBacklog, RecentRunsFilter, RunsPageRun } from "../../../src/operator/types.js";
import type { FlakyTestCount } from "../../../src/storage/types.js";

/** An in-memory store with the two reads the operator surface uses. */
export class FakeOperatorStore {
  runs: RunsPageRun[] = [];
  backlogValue: OperatorBacklog = { pendingEvents: 0, oldestDueEventAt: null, oldestDueRunAt: null, activeRuns: [] };
  failing = false;
  readonly recentCalls: Array<{ limit: number; filter?: Partial<RecentRunsFilter> }> = [];
  flaky: FlakyTestCount[] = [];
  readonly flakyCalls: Array<{ owner: string; repo: string; limit: number }> = [];

  async flakiestTests(owner: string, repo: string, limit: number): Promise<FlakyTestCount[]> {
    this.flakyCalls.push({ owner, repo, limit });
    return this.flaky.slice(0, limit);
  }

  async backlog(_now: number): Promise<OperatorBacklog> {
    if (this.failing) throw new Error("connect ECONNREFUSED postgres://relay:hunter2@db/relay");
    return this.backlogValue;
  }

  async recentRuns(limit: number, filter?: Partial<RecentRunsFilter>): Promise<RunsPageRun[]> {
    this.recentCalls.push({ limit, filter });
    return this.runs
      .filter((run) => (!filter?.owner || run.owner === filter.owner) && (!filter?.repo || run.repo === filter.repo))
      .filter((run) => (!filter?.pipeline || run.pipeline === filter.pipeline) && (!filter?.states || filter.states.includes(run.state)))
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, limit);
  }
}

export function run(overrides: Partial<RunsPageRun> & { id: number }): RunsPageRun {
  return {
    owner: "acme", repo: "widgets", sha: "0123456789abcdef0123456789abcdef01234567", pipeline: "build", ref: "main", attempt: 1,
    vendor: "gitlab", connection: "corp-gitlab", prNumber: null, state: "success", vendorStatus: "success",
    webUrl: "https://gitlab.example.com/acme/widgets/-/pipelines/1", note: null, cancelReason: null,
    createdAt: 1_700_000_000_000, startedAt: 1_700_000_005_000, finishedAt: 1_700_000_125_000,
    ...overrides,
  };
}

/** Chains handlers the way Probot's server does: the first that returns true answered; else 404. */
export async function serveHandlers(handlers: NodeHandler[]): Promise<{ base: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    try {
      for (const handler of handlers) if (await handler(req, res)) return;
      res.writeHead(404).end("fell through");
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
