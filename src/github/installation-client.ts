import type { Probot } from "probot";
import { z } from "zod";
import type { GitHubClientFactory, Octokit } from "./octokit.js";

/*
 * How GitHub calls are paced, read from node_modules (probot 14.3.2, @octokit/plugin-throttling 11.0.5):
 *
 * - plugin-throttling keeps its Bottleneck groups (global, write, notifications, search, auth) in one
 *   module-level `groups` object, created once by the first client that makes a request, and schedules every
 *   request on `group.key(throttle.id)`. Clients with the same id share one queue (writes 1 s apart, comment
 *   and issue writes 3 s apart); the default id is "no-id".
 * - Probot's `app.auth(installationId)` (lib/octokit/get-authenticated-octokit.js) already sets
 *   `throttle.id = String(installationId)`, so clients made that way are paced per installation. The client
 *   Probot hands to webhook handlers (`context.octokit`, octokit-auth-probot's "event-octokit") copies the
 *   app client's options and sets no id: every such client in the process shares the "no-id" queue.
 * - With REDIS_URL Probot builds `throttle: { Bottleneck, connection: new Bottleneck.IORedisConnection(...) }`
 *   (lib/octokit/get-octokit-throttle-options.js; ioredis is loaded with a dynamic import, so it must be
 *   installed) and puts it in the app client's defaults. Because the groups are made once, from the first
 *   client's options, every client must carry the same connection: the clients built here copy the app
 *   client's throttle options, so they are clustered exactly when Probot is.
 *
 * The factory below builds one client per installation the way Probot's app.auth does, with the same
 * per-installation throttle id (so a stray app.auth client for that installation shares its queue instead of
 * doubling the write rate), plus a deadline on every HTTP exchange, and keeps it: an Octokit refreshes its
 * installation token itself (through Probot's token cache), so one client per installation lasts.
 */

export const installationClientSettingsSchema = z.object({
  /** Deadline for one HTTP exchange with GitHub: connect, headers and the whole body. */
  request_timeout_seconds: z.number().positive().max(600).default(20),
  /** Installation clients kept; the least recently used is dropped beyond this. */
  max_cached_installations: z.number().int().positive().default(1000),
});
export type InstallationClientSettings = z.infer<typeof installationClientSettingsSchema>;

/** The throttle id plugin-throttling keys its queues by: the same one Probot's app.auth uses. */
export function throttleIdFor(installationId: number): string {
  return String(installationId);
}

export interface CachedGitHubClientFactory extends GitHubClientFactory {
  /** Drops a client, e.g. after the installation was deleted or suspended. */
  forget(installationId: number): void;
  readonly size: number;
}

/** The options Octokit hands an auth factory: the constructing client's own options. */
interface AppClientOptions {
  throttle?: { enabled?: boolean } & Record<string, unknown>;
  request?: { fetch?: typeof fetch } & Record<string, unknown>;
  auth?: Record<string, unknown>;
  [option: string]: unknown;
}

/** Pure: an installation client's options from the app client's, as Probot's app.auth builds them. */
export function installationClientOptions(appOptions: AppClientOptions, installationId: number, settings: InstallationClientSettings): AppClientOptions {
  const throttle = appOptions.throttle;
  return {
    ...appOptions,
    throttle: throttle && throttle.enabled !== false ? { ...throttle, id: throttleIdFor(installationId) } : { enabled: false },
    request: { ...appOptions.request, fetch: fetchWithDeadline(settings.request_timeout_seconds * 1000, appOptions.request?.fetch) },
    auth: { ...appOptions.auth, installationId },
  };
}

/**
 * One cached installation client per installation, built from the Probot app's credentials and defaults
 * (base URL for GHE_HOST/GHE_PROTOCOL, throttling and its Redis connection, logging).
 */
export function createInstallationClientFactory(
  app: Pick<Probot, "auth">,
  settings: Partial<InstallationClientSettings> = {},
  /** Called once per new client (metrics hooks). */
  onClient?: (client: Octokit, installationId: number) => void,
): CachedGitHubClientFactory {
  const resolved = installationClientSettingsSchema.parse(settings);
  const clients = new Map<number, Promise<Octokit>>();

  const build = async (installationId: number): Promise<Octokit> => {
    const appClient = (await app.auth()) as unknown as { auth: (options: unknown) => Promise<unknown> };
    const client = (await appClient.auth({
      type: "installation",
      installationId,
      factory: ({ octokit, octokitOptions }: { octokit: { constructor: new (options: unknown) => Octokit }; octokitOptions: AppClientOptions }) =>
        new octokit.constructor(installationClientOptions(octokitOptions, installationId, resolved)),
    })) as Octokit;
    onClient?.(client, installationId);
    return client;
  };

  const factory = (async (installationId: number) => {
    let client = clients.get(installationId);
    if (client) {
      clients.delete(installationId); // re-inserted below: Map order is the recency order
    } else {
      client = build(installationId);
      client.catch(() => clients.get(installationId) === client && clients.delete(installationId));
    }
    clients.set(installationId, client);
    while (clients.size > resolved.max_cached_installations) clients.delete(clients.keys().next().value as number);
    return client;
  }) as CachedGitHubClientFactory;
  factory.forget = (installationId) => void clients.delete(installationId);
  Object.defineProperty(factory, "size", { get: () => clients.size });
  return factory;
}

/**
 * A fetch whose every exchange ends within `timeoutMs`, body included. The body is read here, under the
 * deadline, because @octokit/request swallows an error while reading a body (it answers `data: ""`), which
 * would turn a stalled body into a silent success. The deadline sits at the fetch, not in an Octokit request
 * hook: a hook added to a client wraps the throttling and retry plugins, so its clock would also count the
 * time a write waits its turn in the installation's queue, and a burst would fail instead of queueing.
 * Each retry of the retry plugin gets a fresh deadline.
 */
export function fetchWithDeadline(timeoutMs: number, base?: typeof fetch): typeof fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    let response: Response;
    let body: ArrayBuffer;
    try {
      response = await (base ?? globalThis.fetch)(input, { ...init, signal });
      body = await response.arrayBuffer();
    } catch (error) {
      // A plain Error with a message that says what happened; Octokit turns it into a status-500 RequestError.
      if (deadline.aborted) throw new Error(`GitHub did not answer within ${timeoutMs} ms (headers and body)`, { cause: error });
      throw error;
    }
    const copy = new Response(NULL_BODY_STATUSES.has(response.status) || body.byteLength === 0 ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    Object.defineProperty(copy, "url", { value: response.url });
    return copy;
  };
}

const NULL_BODY_STATUSES = new Set([204, 205, 304]);
