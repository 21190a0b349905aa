import type { Logger } from "probot";
import type { OperatorConfig } from "../config/operator-config.js";
import { DEFAULT_RETRY, type HttpClientSettings } from "../vendors/http.js";
import type { VendorAdapter, VendorModule } from "../vendors/types.js";
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
  ) {}

  get(connectionName: string): PooledAdapter {
    const existing = this.#adapters.get(connectionName);
    if (existing) return existing;
    const { vendor, deps } = createVendorDeps(this.operator, connectionName, this.log, this.retry);
    const pooled = { vendor, adapter: vendor.create(deps) as VendorAdapter<unknown> };
    this.#adapters.set(connectionName, pooled);
    return pooled;
  }
}
