import { VendorError } from "../../../src/errors.js";
import { RelayMetrics } from "../../../src/operator/metrics.js";
import { instrumentAdapter } from "../../../src/operator/vendor-metrics.js";

describe("instrumentAdapter", () => {
  it("counts and times each adapter call, passes results and errors through, and keeps optional methods absent", async () => {
    const unauthorized = new VendorError("401", { vendor: "gitlab", operation: "getRun", status: 401, retryable: false });
    const adapter = {
      id: "gitlab",
      calls: 0,
      async trigger(this: { calls: number }, ref: string) {
        this.calls += 1;
        return { runId: `run-for-${ref}` };
      },
      async getRun(): Promise<never> {
        throw unauthorized;
      },
    };
    const metrics = new RelayMetrics({ processMetrics: false });
    const instrumented = instrumentAdapter(adapter, "gitlab", metrics);

    await expect(instrumented.trigger("main")).resolves.toEqual({ runId: "run-for-main" });
    await expect(instrumented.getRun()).rejects.toBe(unauthorized);
    expect([instrumented.id, adapter.calls, "findRun" in instrumented]).toEqual(["gitlab", 1, false]);

    const text = await metrics.render();
    expect(text).toContain('pipeline_relay_vendor_calls_total{vendor="gitlab",operation="trigger",outcome="ok"} 1');
    expect(text).toContain('pipeline_relay_vendor_calls_total{vendor="gitlab",operation="get_run",outcome="auth_error"} 1');
    expect(text).toContain('pipeline_relay_vendor_call_duration_seconds_count{vendor="gitlab",operation="trigger"} 1');
  });
});
