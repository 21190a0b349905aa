import type { IncomingMessage } from "node:http";
import { bearerToken, cookieValue, requestUrl, send, tokenEquals, type NodeHandler } from "./http-access.js";
import { DEFAULT_LIMIT, renderRunsPage, RUN_STATES, type RunsQuery } from "./runs-page-render.js";
import { maxDueAgeSeconds, type BacklogSource, type OperatorBacklog, type RecentRunsFilter, type RecentRunsSource } from "./types.js";

export const RUNS_PAGE_PATH = "/pipeline-relay/runs";
const COOKIE = "relay_dashboard";
const MAX_LIMIT = 500;
/** Flakiest tests listed when the page is filtered to one repository. */
const FLAKIEST_SHOWN = 10;

export interface RunsPageDeps {
  store: BacklogSource & RecentRunsSource;
  /** RELAY_DASHBOARD_TOKEN (unset: the page answers 404), GHE_HOST/GHE_PROTOCOL for commit links. */
  env: NodeJS.ProcessEnv;
  clock?: () => number;
}

/**
 * The read-only runs page at /pipeline-relay/runs. Access: `Authorization: Bearer <token>`, or `?token=<token>`
 * once, which is exchanged for an HttpOnly cookie and a redirect to the same page without the token.
 */
export function createRunsPageHandler(deps: RunsPageDeps): NodeHandler {
  const clock = deps.clock ?? Date.now;
  return async (req, res) => {
    const url = requestUrl(req);
    if (url.pathname !== RUNS_PAGE_PATH && url.pathname !== `${RUNS_PAGE_PATH}/`) return false;
    const expected = deps.env.RELAY_DASHBOARD_TOKEN;
    if (!expected) return send(res, 404, "text/plain; charset=utf-8", "Not found\n");
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain; charset=utf-8", "use GET\n", { allow: "GET, HEAD" });

    const queryToken = url.searchParams.get("token") ?? undefined;
    if (queryToken !== undefined) {
      if (!tokenEquals(queryToken, expected)) return unauthorized(res);
      url.searchParams.delete("token");
      return send(res, 303, "text/plain; charset=utf-8", "See other\n", {
        location: `${RUNS_PAGE_PATH}${url.search}`,
        "set-cookie": `${COOKIE}=${encodeURIComponent(queryToken)}; Path=${RUNS_PAGE_PATH}; HttpOnly; SameSite=Strict${isHttps(req) ? "; Secure" : ""}`,
      });
    }
    if (!tokenEquals(bearerToken(req) ?? cookieValue(req, COOKIE), expected)) return unauthorized(res);

    const query = parseRunsQuery(url.searchParams);
    const now = clock();
    const [runs, backlog, flakyTests] = await Promise.all([
      deps.store.recentRuns(query.limit, storeFilter(query)),
      readBacklog(deps.store, now),
      query.repo ? deps.store.flakiestTests(...(query.repo.split("/") as [string, string]), FLAKIEST_SHOWN) : Promise.resolve(undefined),
    ]);
    const shown = query.sha ? runs.filter((run) => run.sha.toLowerCase().startsWith(query.sha!.toLowerCase())) : runs;
    const html = renderRunsPage({
      runs: shown,
      backlog,
      flakyTests,
      query,
      now,
      stalledAfterSeconds: maxDueAgeSeconds(deps.env),
      githubWebUrl: githubWebUrl(deps.env),
    });
    return send(res, 200, "text/html; charset=utf-8", html, {
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
  };
}

/** Query string to filters; anything malformed is dropped rather than refused. Pure. */
export function parseRunsQuery(params: URLSearchParams): RunsQuery {
  const text = (name: string, pattern: RegExp) => {
    const value = params.get(name)?.trim();
    return value && pattern.test(value) ? value : undefined;
  };
  const state = params.get("state") ?? "";
  const limit = Number(params.get("limit"));
  return {
    repo: text("repo", /^[\w.-]+\/[\w.-]+$/),
    pipeline: text("pipeline", /^[\w.-]{1,64}$/),
    state: (RUN_STATES as readonly string[]).includes(state) ? state : undefined,
    sha: text("sha", /^[0-9a-fA-F]{4,40}$/),
    limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, MAX_LIMIT) : DEFAULT_LIMIT,
  };
}

function storeFilter(query: RunsQuery): Partial<RecentRunsFilter> {
  const filter: Partial<RecentRunsFilter> = {};
  if (query.repo) [filter.owner, filter.repo] = query.repo.split("/") as [string, string];
  if (query.pipeline) filter.pipeline = query.pipeline;
  if (query.state) filter.states = [query.state];
  return filter;
}

async function readBacklog(store: BacklogSource, now: number): Promise<OperatorBacklog | undefined> {
  try {
    return await store.backlog(now);
  } catch {
    return undefined;
  }
}

function githubWebUrl(env: NodeJS.ProcessEnv): string {
  return env.GHE_HOST ? `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}` : "https://github.com";
}

function isHttps(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true || req.headers["x-forwarded-proto"] === "https";
}

function unauthorized(res: Parameters<NodeHandler>[1]): true {
  return send(res, 401, "text/plain; charset=utf-8", "the runs page needs Authorization: Bearer $RELAY_DASHBOARD_TOKEN or ?token=\n", {
    "www-authenticate": 'Bearer realm="pipeline-relay runs"',
  });
}
