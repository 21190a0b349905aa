import { performance } from "node:perf_hooks";

/**
 * Below this share of busy time, the event loop has room for background work beside the acks (see Engine's
 * follow-up). Measured with one repository's pushes at 1,000-3,200 webhooks a second on two cores shared with the
 * load: 0.5, 0.7 and 0.85 handled about as many events during the load (the CPU is the bound there), and 0.5 kept
 * the ack's p99 lowest.
 */
export const ROOM_BELOW_UTILIZATION = 0.5;
/** How long one measurement of the loop covers. */
export const LOOP_SAMPLE_MS = 100;

/** Whether the event loop was busy lately: its utilization (Node's own measure) over the last LOOP_SAMPLE_MS or more. */
export class LoopLoad {
  #sampledAt = performance.now();
  #sample = performance.eventLoopUtilization();
  #utilization = 0;

  isBusy(): boolean {
    const now = performance.now();
    if (now - this.#sampledAt >= LOOP_SAMPLE_MS) {
      const sample = performance.eventLoopUtilization();
      this.#utilization = performance.eventLoopUtilization(sample, this.#sample).utilization;
      this.#sample = sample;
      this.#sampledAt = now;
    }
    return this.#utilization >= ROOM_BELOW_UTILIZATION;
  }
}
