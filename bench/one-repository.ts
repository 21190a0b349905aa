import { figures, load, OPEN_LOOP_WARMUP_MS, startProbotProcess, withBenchSetup, type AckFigures } from "./ack-path.js";
import { fmt } from "./stats.js";

/** The rates of (g): one repository's pushes, light, moderate and past what its handling can follow during acks. */
export const ONE_REPOSITORY_RATES = [300, 1000, 2000] as const;
const DRAIN_LIMIT_MS = 60_000;
const MIN_EVENTS_FOR_A_RATE = 500;

export interface OneRepositoryRow {
  ack: AckFigures;
  /** Events stored but not yet handled when the webhooks stopped. */
  pendingAtEnd: number;
  /** How long the rest took to be handled after the webhooks stopped, and how fast. */
  drainMs: number;
  leftAfterLimit: number;
}

async function pendingEvents(appUrl: string): Promise<number> {
  const text = await (await fetch(`${appUrl}/metrics`)).text();
  const pending = /^pipeline_relay_events_pending (\d+)$/m.exec(text)?.[1];
  if (pending === undefined) throw new Error("the app's /metrics has no pipeline_relay_events_pending");
  return Number(pending);
}

/**
 * (g) Every push to one repository, whose events are handled one at a time in arrival order: the open loop of (f)
 * at each rate (warm-up included, so 9 s of webhooks), then how many events were still waiting and how long they
 * took once the webhooks stopped. Measures the handling of one busy repository, which (a) does not.
 */
export async function oneRepositoryRound(rates: readonly number[] = ONE_REPOSITORY_RATES): Promise<OneRepositoryRow[]> {
  return withBenchSetup(async (github, payloadFile) => {
    const rows: OneRepositoryRow[] = [];
    for (const rate of rates) {
      const server = await startProbotProcess(github.host);
      try {
        const ack = figures(`one repository at ${rate} req/s`, await load(server, payloadFile, "open", rate));
        const stoppedAt = performance.now();
        const pendingAtEnd = await pendingEvents(server.appUrl!);
        let left = pendingAtEnd;
        while (left > 0 && performance.now() - stoppedAt < DRAIN_LIMIT_MS) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          left = await pendingEvents(server.appUrl!);
        }
        rows.push({ ack, pendingAtEnd, drainMs: performance.now() - stoppedAt, leftAfterLimit: left });
      } finally {
        await server.stop();
      }
    }
    return rows;
  });
}

export function printOneRepositoryRound(rows: OneRepositoryRow[], index: number): void {
  const sent = (OPEN_LOOP_WARMUP_MS + 5000) / 1000;
  console.log(`\n(g) one repository's pushes (open loop, ${sent} s of webhooks), round ${index}`);
  for (const { ack, pendingAtEnd, drainMs, leftAfterLimit } of rows) {
    // A rate over a handful of events, read every 50 ms, says nothing.
    const rate = pendingAtEnd >= MIN_EVENTS_FOR_A_RATE ? ` (${fmt(pendingAtEnd / (drainMs / 1000), 0)} events/s)` : "";
    const drained = leftAfterLimit > 0 ? `${leftAfterLimit} still waiting after ${DRAIN_LIMIT_MS / 1000} s` : `handled ${fmt(drainMs / 1000, 1)} s later${rate}`;
    console.log(`  ${ack.server.padEnd(30)} ack p99 ${fmt(ack.p99, 2).padStart(7)} ms  waiting when the webhooks stopped: ${String(pendingAtEnd).padStart(6)}, ${drained}`);
  }
}
