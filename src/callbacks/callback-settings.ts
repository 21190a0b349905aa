import type { Connection } from "../config/operator-config.js";
import type { VendorCallbacks } from "../vendors/callbacks.js";
import { VENDORS } from "../vendors/registry.js";

/** Vendors whose notifications pipeline-relay accepts (docs/vendors/*.md say why the others cannot). */
export const CALLBACK_VENDORS = Object.values(VENDORS)
  .filter((vendor) => vendor.callbacks !== undefined)
  .map((vendor) => vendor.id);

/** Request headers that carry a callback secret, for the access log's redaction. */
export const CALLBACK_TOKEN_HEADERS = [...new Set(Object.values(VENDORS).flatMap((vendor) => (vendor.callbacks ? [vendor.callbacks.tokenHeader] : [])))];

/** The connection's callback secret, when callbacks are on for it. */
export function callbackTokenOf(connection: Connection | undefined): string | undefined {
  return callbacksOf(connection)?.token;
}

/** The vendor's notification reader with the connection's secret, when callbacks are on for it. */
export function callbacksOf(connection: Connection | undefined): (VendorCallbacks & { token: string }) | undefined {
  const callbacks = connection && Object.hasOwn(VENDORS, connection.vendor) ? VENDORS[connection.vendor]!.callbacks : undefined;
  const token = connection?.callback_token;
  if (!callbacks || typeof token !== "string" || token.length === 0) return undefined;
  return { ...callbacks, token };
}

/** How often runs of this connection are polled when callbacks are on; undefined: the normal backoff. */
export function callbackPollSeconds(connections: Readonly<Record<string, Connection>>, name: string): number | undefined {
  const connection = Object.hasOwn(connections, name) ? connections[name] : undefined;
  if (callbackTokenOf(connection) === undefined) return undefined;
  return typeof connection!.poll_seconds_with_callbacks === "number" ? connection!.poll_seconds_with_callbacks : undefined;
}
