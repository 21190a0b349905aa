import Bottleneck from "bottleneck";
import type { Logger } from "probot";
import type { OperatorConfig } from "../config/operator-config.js";
import { createVendorHttp, DEFAULT_RETRY, type HttpClientSettings } from "../vendors/http.js";
import { getVendor } from "../vendors/registry.js";
import type { VendorAdapter, VendorModule } from "../vendors/types.js";

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
    const connection = this.operator.connections[connectionName];
    if (!connection) throw new Error(`connection "${connectionName}" is not in the operator config`);
    const vendor = getVendor(connection.vendor);
    const limiter = new Bottleneck({
      maxConcurrent: connection.rate_limit.max_concurrent,
      minTime: Math.ceil(1000 / connection.rate_limit.per_second),
    });
    const log = this.log.child({ vendor: vendor.id, connection: connectionName });
    const adapter = vendor.create({
      connection,
      connectionName,
      log,
      createHttp: (options) =>
        createVendorHttp(
          {
            vendor: vendor.id,
            baseUrl: String(connection.url ?? ""),
            timeoutMs: connection.timeout_seconds * 1000,
            limiter,
            masker: this.operator.masker,
            retry: this.retry,
          },
          options,
        ),
    });
    const pooled = { vendor, adapter };
    this.#adapters.set(connectionName, pooled);
    return pooled;
  }
}
