import type { Logger } from "probot";
import type { OperatorConfig } from "../config/operator-config.js";
import { DEFAULT_RETRY, type HttpClientSettings } from "../vendors/http.js";
import type { SecretMasker } from "../secrets.js";
import type { VendorAdapter, VendorModule } from "../vendors/types.js";
import type { RelayMetrics } from "../operator/metrics.js";
import { instrumentAdapter } from "../operator/vendor-metrics.js";
import { createVendorDeps } from "./vendor-deps.js";

export interface PooledAdapter {
  vendor: VendorModule<any, any>;
  adapter: VendorAdapter<unknown>;
}

/** One adapter (and one rate limiter) per operator connection, built on first use. */
export class AdapterPool {
  readonly #adapters = new Map<string, PooledAdapter>();

  constructor(
    private readonly operator: OperatorConfig,
    private readonly log: Logger,
    private readonly retry: HttpClientSettings["retry"] = DEFAULT_RETRY,
    private readonly metrics?: RelayMetrics,
  ) {}

  get(connectionName: string): PooledAdapter {
    const existing = this.#adapters.get(connectionName);
    if (existing) return existing;
    const { vendor, deps } = createVendorDeps(this.operator, connectionName, this.log, this.retry);
    const masked = withMaskedFailureDetail(vendor.create(deps) as VendorAdapter<unknown>, deps.masker);
    const pooled = { vendor, adapter: this.metrics ? instrumentAdapter(masked, vendor.id, this.metrics) : masked };
    this.#adapters.set(connectionName, pooled);
    return pooled;
  }
}

/**
 * A failure detail carries job-log lines, which may print a secret: it is masked here, before anything
 * stores it in the run's view, with every secret known at that moment (run-time tokens included).
 */
export function withMaskedFailureDetail<Target>(adapter: VendorAdapter<Target>, masker: SecretMasker): VendorAdapter<Target> {
  const describeFailure = adapter.describeFailure;
  if (!describeFailure) return adapter;
  return {
    ...adapter,
    async describeFailure(run, target) {
      const detail = await describeFailure.call(adapter, run, target);
      return detail === null ? null : masker.mask(detail);
    },
  };
}
