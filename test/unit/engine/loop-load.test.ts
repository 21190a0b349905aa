import { LOOP_SAMPLE_MS, LoopLoad } from "../../../src/engine/loop-load.js";

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Holds the event loop, as a burst of acks would.
  }
}

describe("LoopLoad", () => {
  it("reads busy after the loop was held for a sample, and idle after a quiet sample", async () => {
    const load = new LoopLoad();
    await new Promise((resolve) => setTimeout(resolve, LOOP_SAMPLE_MS + 20));
    expect(load.isBusy()).toBe(false);
    spin(LOOP_SAMPLE_MS + 20);
    expect(load.isBusy()).toBe(true);
    // Within the sample the last reading stands.
    expect(load.isBusy()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 3 * LOOP_SAMPLE_MS));
    expect(load.isBusy()).toBe(false);
  });
});
