import type { Logger } from "probot";
import type { OperatorConfig } from "../config/operator-config.js";
import { createVendorHttp, DEFAULT_RETRY, type HttpClientSettings } from "../vendors/http.js";
import { ownValue } from "../own-property.js";
import { connectionLimiter } from "./connection-limiter.js";
import { getVendor } from "../vendors/registry.js";
import type { VendorDeps, VendorModule } from "../vendors/types.js";

/**
 * A vendor's deps for one connection: one rate limiter, the connection's timeout, retries and masking.
 * The app's AdapterPool and the command-line tools build adapters from these.
 */
export function createVendorDeps(
  operator: OperatorConfig,
  connectionName: string,
  log: Logger,
  retry: HttpClientSettings["retry"] = DEFAULT_RETRY,
): { vendor: VendorModule<any, any>; deps: VendorDeps<any> } {
  const connection = ownValue(operator.connections, connectionName);
  if (!connection) throw new Error(`connection "${connectionName}" is not in the operator config`);
  const vendor = getVendor(connection.vendor);
  const limiter = connectionLimiter(connectionName, { maxConcurrent: connection.rate_limit.max_concurrent, perSecond: connection.rate_limit.per_second });
  return {
    vendor,
    deps: {
      connection,
      connectionName,
      masker: operator.masker,
      log: log.child({ vendor: vendor.id, connection: connectionName }),
      createHttp: (options) =>
        createVendorHttp(
          {
            vendor: vendor.id,
            baseUrl: String(connection.url ?? ""),
            timeoutMs: connection.timeout_seconds * 1000,
            limiter,
            masker: operator.masker,
            retry,
          },
          options,
        ),
    },
  };
}
