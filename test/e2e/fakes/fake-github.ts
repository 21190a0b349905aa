import { startFakeServer, type FakeAnswer, type FakeRequest, type FakeServer, type Route } from "./fake-server.js";

export interface FakeCheckRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  details_url: string | null;
  output: { title?: string; summary?: string };
  /** Every status the check went through, for assertions on its history. */
  history: string[];
  createdAt: number;
  /** When it became completed (epoch ms). */
  completedAt: number | null;
}

export interface FakeStatus {
  owner: string;
  repo: string;
  sha: string;
  context: string;
  state: string;
  description?: string;
}

export interface FakeGitHub extends FakeServer {
  /** `host:port`, for GHE_HOST (Probot then calls http://host:port/api/v3/...). */
  host: string;
  checkRuns: FakeCheckRun[];
  statuses: FakeStatus[];
  comments: Array<{ owner: string; repo: string; issue: number; body: string }>;
  reactions: Array<{ owner: string; repo: string; commentId: number; content: string }>;
  /** `.github/pipelines.yml` served for `owner/repo` (404 for every other repository). */
  setRepoConfig(fullName: string, yamlText: string): void;
  /** Check runs created (POST) per `owner/repo@sha name`. */
  createsPerCheck(): Map<string, number>;
  /** The App's delivery attempts (`GET /app/hook/deliveries`, newest first, cursor-paginated); tests add to it. */
  deliveries: FakeDelivery[];
  /** Attempt ids the app asked to redeliver (`POST /app/hook/deliveries/{id}/attempts`). */
  redeliveryRequests: number[];
}

export interface FakeDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
}

const API = "/api/v3";
const REPO = `${API}/repos/(?<owner>[^/]+)/(?<repo>[^/]+)`;

/** A GitHub Enterprise Server lookalike: the endpoints pipeline-relay uses, with state kept in memory. */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  const configs = new Map<string, string>();
  const checkRuns: FakeCheckRun[] = [];
  const statuses: FakeStatus[] = [];
  const comments: FakeGitHub["comments"] = [];
  const reactions: FakeGitHub["reactions"] = [];
  let nextId = 1000;
  const deliveries: FakeDelivery[] = [];
  const redeliveryRequests: number[] = [];
  const DELIVERY_PAGE = 2;

  const body = (request: FakeRequest) => (request.body ?? {}) as Record<string, any>;
  const found = (data: unknown, status = 200): FakeAnswer => ({ status, body: data });
  const checkView = (check: FakeCheckRun) => ({
    id: check.id,
    name: check.name,
    head_sha: check.head_sha,
    status: check.status,
    conclusion: check.conclusion,
    external_id: check.external_id,
    details_url: check.details_url,
    output: check.output,
    html_url: `https://github.example/${check.owner}/${check.repo}/runs/${check.id}`,
    app: { id: 1, slug: "pipeline-relay" },
  });

  const routes: Route[] = [
    {
      // Newest first; `cursor` is the id after which the next page starts (GitHub's cursor is opaque to clients).
      method: "GET",
      pattern: new RegExp(`^${API}/app/hook/deliveries$`),
      handle: (request) => {
        const ordered = [...deliveries].sort((a, b) => Date.parse(b.delivered_at) - Date.parse(a.delivered_at) || b.id - a.id);
        const cursor = request.query.get("cursor");
        const start = cursor ? ordered.findIndex((d) => String(d.id) === cursor) + 1 : 0;
        const perPage = Math.min(Number(request.query.get("per_page") ?? 30), DELIVERY_PAGE);
        const page = ordered.slice(start, start + perPage);
        const more = start + perPage < ordered.length;
        const next = `<http://127.0.0.1:${server.port}${API}/app/hook/deliveries?per_page=${perPage}&cursor=${page[page.length - 1]?.id}>; rel="next"`;
        const headers: Record<string, string> = more ? { link: next } : {};
        return { status: 200, body: page, headers };
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^${API}/app/hook/deliveries/(?<id>\\d+)/attempts$`),
      handle: (request) => {
        const id = Number(request.params.id);
        if (!deliveries.some((d) => d.id === id)) return found({ message: "Not Found" }, 404);
        redeliveryRequests.push(id);
        return found({}, 202);
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^${API}/app/installations/(?<id>\\d+)/access_tokens$`),
      handle: (request) =>
        found(
          {
            token: `ghs_fake_installation_${request.params.id}`,
            expires_at: new Date(Date.now() + 3600_000).toISOString(),
            permissions: { checks: "write", statuses: "write", contents: "read", pull_requests: "write", issues: "write" },
            repository_selection: "all",
          },
          201,
        ),
    },
    {
      method: "GET",
      // Octokit encodes the path (`.github%2Fpipelines.yml`); accept the plain form too.
      pattern: new RegExp(`^${REPO}/contents/(?<file>.+)$`),
      handle: (request) => {
        const file = decodeURIComponent(request.params.file!);
        const text = configs.get(`${request.params.owner}/${request.params.repo}`.toLowerCase());
        if (file !== ".github/pipelines.yml" || text === undefined) return found({ message: "Not Found" }, 404);
        return { status: 200, body: text };
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^${REPO}/check-runs$`),
      handle: (request) => {
        const input = body(request);
        const check: FakeCheckRun = {
          id: nextId++,
          owner: request.params.owner!,
          repo: request.params.repo!,
          name: String(input.name),
          head_sha: String(input.head_sha),
          status: input.conclusion ? "completed" : String(input.status ?? "queued"),
          conclusion: input.conclusion ?? null,
          external_id: input.external_id ?? null,
          details_url: input.details_url ?? null,
          output: input.output ?? {},
          history: [],
          createdAt: Date.now(),
          completedAt: input.conclusion ? Date.now() : null,
        };
        check.history.push(check.conclusion ?? check.status);
        checkRuns.push(check);
        return found(checkView(check), 201);
      },
    },
    {
      method: "PATCH",
      pattern: new RegExp(`^${REPO}/check-runs/(?<id>\\d+)$`),
      handle: (request) => {
        const check = checkRuns.find((candidate) => candidate.id === Number(request.params.id));
        if (!check) return found({ message: "Not Found" }, 404);
        const input = body(request);
        if (input.status) check.status = String(input.status);
        if (input.conclusion) {
          check.conclusion = String(input.conclusion);
          check.status = "completed";
        }
        if (check.status === "completed") check.completedAt ??= Date.now();
        if (input.output) check.output = input.output;
        if (input.details_url) check.details_url = input.details_url;
        check.history.push(check.conclusion ?? check.status);
        return found(checkView(check));
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${REPO}/check-runs/(?<id>\\d+)$`),
      handle: (request) => {
        const check = checkRuns.find((candidate) => candidate.id === Number(request.params.id));
        return check ? found(checkView(check)) : found({ message: "Not Found" }, 404);
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${REPO}/commits/(?<ref>[^/]+)/check-runs$`),
      handle: (request) => {
        const name = request.query.get("check_name");
        const matching = checkRuns.filter(
          (check) =>
            check.owner === request.params.owner && check.repo === request.params.repo && check.head_sha === request.params.ref && (!name || check.name === name),
        );
        return found({ total_count: matching.length, check_runs: matching.map(checkView) });
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^${REPO}/statuses/(?<sha>[0-9a-f]+)$`),
      handle: (request) => {
        const input = body(request);
        statuses.push({ owner: request.params.owner!, repo: request.params.repo!, sha: request.params.sha!, context: String(input.context), state: String(input.state), description: input.description });
        return found({ id: nextId++, state: input.state, context: input.context }, 201);
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^${REPO}/issues/(?<number>\\d+)/comments$`),
      handle: (request) => {
        comments.push({ owner: request.params.owner!, repo: request.params.repo!, issue: Number(request.params.number), body: String(body(request).body) });
        return found({ id: nextId++, body: body(request).body }, 201);
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^${REPO}/issues/comments/(?<id>\\d+)/reactions$`),
      handle: (request) => {
        reactions.push({ owner: request.params.owner!, repo: request.params.repo!, commentId: Number(request.params.id), content: String(body(request).content) });
        return found({ id: nextId++, content: body(request).content }, 201);
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${REPO}/collaborators/(?<user>[^/]+)/permission$`),
      handle: (request) => found({ permission: "admin", role_name: "admin", user: { login: request.params.user } }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${REPO}/pulls/(?<number>\\d+)$`),
      handle: (request) =>
        found({
          number: Number(request.params.number),
          state: "open",
          draft: false,
          head: { ref: "changes", sha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821", repo: { full_name: `${request.params.owner}/${request.params.repo}`, fork: false } },
          base: { ref: "master", repo: { full_name: `${request.params.owner}/${request.params.repo}` } },
          user: { login: request.params.owner },
          labels: [],
        }),
    },
  ];

  const server = await startFakeServer(routes);
  return {
    ...server,
    host: `127.0.0.1:${server.port}`,
    checkRuns,
    statuses,
    comments,
    reactions,
    deliveries,
    redeliveryRequests,
    setRepoConfig: (fullName, yamlText) => configs.set(fullName.toLowerCase(), yamlText),
    createsPerCheck: () => {
      const counts = new Map<string, number>();
      for (const check of checkRuns) {
        const key = `${check.owner}/${check.repo}@${check.head_sha} ${check.name}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return counts;
    },
  };
}
