import type { Connection } from "../config/operator-config.js";

/** Vendors whose callbacks pipeline-relay accepts (see docs/vendors/*.md for the others). */
export const CALLBACK_VENDORS = ["gitlab"] as const;

/** The connection's callback secret, when callbacks are on for it. */
export function callbackTokenOf(connection: Connection | undefined): string | undefined {
  if (!connection || !(CALLBACK_VENDORS as readonly string[]).includes(connection.vendor)) return undefined;
  return typeof connection.callback_token === "string" && connection.callback_token.length > 0 ? connection.callback_token : undefined;
}

/** How often runs of this connection are polled when callbacks are on; undefined: the normal backoff. */
export function callbackPollSeconds(connections: Readonly<Record<string, Connection>>, name: string): number | undefined {
  const connection = Object.hasOwn(connections, name) ? connections[name] : undefined;
  if (callbackTokenOf(connection) === undefined) return undefined;
  return typeof connection!.poll_seconds_with_callbacks === "number" ? connection!.poll_seconds_with_callbacks : undefined;
}
