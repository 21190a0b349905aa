import type { GitHubWriteKind, RelayMetrics } from "./metrics.js";

interface RequestShape {
  method?: string;
  url?: string;
}
interface ResponseShape {
  headers?: Record<string, string | number | undefined>;
}
/** The part of Octokit's hook API this needs (`octokit.hook`). */
export interface OctokitHooks {
  after(name: "request", hook: (response: ResponseShape, options: RequestShape) => void): void;
  error(name: "request", hook: (error: unknown, options: RequestShape) => unknown): void;
}

/**
 * Which GitHub write a request is, from its method and route template (`/repos/{owner}/{repo}/check-runs`);
 * undefined for reads. Pure.
 */
export function githubWriteKind(method: string | undefined, url: string | undefined): GitHubWriteKind | undefined {
  const verb = (method ?? "GET").toUpperCase();
  if (verb === "GET" || verb === "HEAD" || !url) return undefined;
  const path = url.split("?")[0]!;
  if (/\/check-runs$/.test(path) && verb === "POST") return "check_create";
  if (/\/check-runs\/[^/]+$/.test(path) && verb === "PATCH") return "check_update";
  if (/\/statuses\/[^/]+$/.test(path)) return "status";
  if (/\/reactions$/.test(path)) return "reaction";
  if (/\/issues\/[^/]+\/comments$/.test(path) || /\/issues\/comments\/[^/]+$/.test(path)) return "comment";
  return undefined;
}

/**
 * Counts an installation client's writes and records the rate limit it reports. Call once per client:
 * `instrumentGitHubClient(octokit.hook, metrics, installationId)`.
 */
export function instrumentGitHubClient(hooks: OctokitHooks, metrics: RelayMetrics, installationId: number): void {
  hooks.after("request", (response, options) => {
    const remaining = response.headers?.["x-ratelimit-remaining"];
    if (remaining !== undefined) metrics.githubRateLimitSeen(installationId, remaining);
    const kind = githubWriteKind(options.method, options.url);
    if (kind) metrics.githubWrite(kind, "ok");
  });
  hooks.error("request", (error, options) => {
    const failure = error as { status?: number; response?: ResponseShape };
    const remaining = failure.response?.headers?.["x-ratelimit-remaining"];
    if (remaining !== undefined) metrics.githubRateLimitSeen(installationId, remaining);
    const kind = githubWriteKind(options.method, options.url);
    if (kind) {
      const limited = failure.status === 429 || (failure.status === 403 && String(remaining) === "0");
      metrics.githubWrite(kind, limited ? "rate_limited" : "error");
    }
    throw error;
  });
}
