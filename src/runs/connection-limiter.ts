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
  // One Redis connection per limiter: Bottleneck tells its clients apart by connection, and a process has one
  // limiter per vendor connection, so these are few.
  const connection = new Bottleneck.IORedisConnection({ client: new Redis(redisUrl, { maxRetriesPerRequest: 3 }) });
  return new Bottleneck({
    ...limits,
    id: `pipeline-relay:connection:${connectionName}`,
    datastore: "ioredis",
    connection,
    // Replicas share the counts: a starting replica must not wipe the others' (the settings are re-applied).
    clearDatastore: false,
  });
}
