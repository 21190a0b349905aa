import Bottleneck from "bottleneck";
import { Redis } from "ioredis";

export interface LimiterSettings {
  maxConcurrent: number;
  perSecond: number;
}

/**
 * A connection's rate limiter. Alone, it counts this process only; with REDIS_URL, Bottleneck keeps the counts in
 * Redis under one id per connection, so every replica shares the connection's `max_concurrent` and `per_second`.
 */
export function connectionLimiter(connectionName: string, settings: LimiterSettings, redisUrl: string | undefined = process.env.REDIS_URL): Bottleneck {
  const limits = { maxConcurrent: settings.maxConcurrent, minTime: Math.ceil(1000 / settings.perSecond) };
  if (!redisUrl) return new Bottleneck(limits);
  // One Redis connection per limiter, owned by it (closed by limiter.disconnect()): Bottleneck tells its clients
  // apart by connection, and a process has one limiter per vendor connection, so these are few.
  return new Bottleneck({
    ...limits,
    id: `pipeline-relay:connection:${connectionName}`,
    datastore: "ioredis",
    Redis,
    clientOptions: redisOptions(redisUrl),
    // Replicas share the counts: a starting replica must not wipe the others' (the settings are re-applied).
    clearDatastore: false,
  });
}

/** ioredis options from a redis:// or rediss:// URL (Bottleneck builds the client from options, not a URL). */
function redisOptions(url: string): Record<string, unknown> {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    maxRetriesPerRequest: 3,
  };
}
