import { vendorErrorOutcome, type RelayMetrics } from "./metrics.js";

/** VendorAdapter methods and their `operation` label. */
export const ADAPTER_OPERATIONS: Readonly<Record<string, string>> = {
  trigger: "trigger",
  getRun: "get_run",
  cancel: "cancel",
  retry: "retry",
  findRun: "find_run",
  getTestSummary: "test_summary",
  describeFailure: "describe_failure",
  describeJobs: "describe_jobs",
  listTestCases: "test_cases",
};

/**
 * The same adapter, every vendor call counted and timed (`vendor_calls_total`, `vendor_call_duration_seconds`).
 * Optional methods stay absent when the adapter has none. For AdapterPool:
 * `adapter: instrumentAdapter(withMaskedFailureDetail(...), vendor.id, metrics)`.
 */
export function instrumentAdapter<A extends object>(adapter: A, vendor: string, metrics: RelayMetrics): A {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      const operation = typeof property === "string" && Object.hasOwn(ADAPTER_OPERATIONS, property) ? ADAPTER_OPERATIONS[property] : undefined;
      if (!operation || typeof value !== "function") return value;
      return (...args: unknown[]) => metrics.timeVendorCall(vendor, operation, () => Promise.resolve(value.apply(target, args)), vendorErrorOutcome);
    },
  });
}
