import { createHash } from "node:crypto";
import { startFakeServer, type FakeAnswer, type FakeRequest, type FakeServer, type Route } from "./fake-server.js";

export interface FakePipeline {
  id: number;
  project: string;
  ref: string;
  sha: string;
  variables: Record<string, string>;
  createdAt: number;
  /** Set by cancel; otherwise the status follows the clock (see statusAt). */
  cancelledAt: number | null;
  retries: number;
  /** When it ends after creation (durationFor, else the fake's durationMs). */
  durationMs: number;
}

export interface FakeGitLabOptions {
  /** A new pipeline is `pending` until this long after creation, then `running`. */
  pendingMs?: number;
  /** ... and ends this long after creation. */
  durationMs?: number;
  /** Final status per project (default success). */
  finalStatus?: (project: string) => "success" | "failed";
  /** Per pipeline (by creation order, from 0): how long it runs; durationMs for all when unset. */
  durationFor?: (index: number) => number;
}

/** A project webhook with Pipeline events: the fake POSTs one when a pipeline starts running and when it ends. */
export interface FakeGitLabHook {
  url: string;
  token: string;
}

export interface FakeGitLab extends FakeServer {
  pipelines: FakePipeline[];
  statusOf(pipeline: FakePipeline, now?: number): string;
  /** Every call for this project (`group/name` or an id) waits `ms` first: a slow project beside fast ones. */
  delayProject(project: string, ms: number): void;
  /** Pipelines created per RELAY_RUN_ID. */
  createsPerRunId(): Map<string, number>;
  /** Calls this webhook (Pipeline events, X-Gitlab-Token) from now on; undefined stops it. */
  setHook(hook: FakeGitLabHook | undefined): void;
  /** Pipeline events sent to the hook: when, which pipeline and status, and the answer. */
  hookCalls: Array<{ at: number; pipeline: number; status: string; answer: number | "error" }>;
  /** Pipelines created per `repository@sha pipeline` (RELAY_REPOSITORY, RELAY_SHA, RELAY_PIPELINE). */
  createsPerTrigger(): Map<string, number>;
}

const PROJECT = "/api/v4/projects/(?<project>[^/]+)";

/** GitLab's pipeline API, enough for pipeline-relay: pipelines progress on the clock to their final status. */
export async function startFakeGitLab(options: FakeGitLabOptions = {}): Promise<FakeGitLab> {
  const pendingMs = options.pendingMs ?? 200;
  const durationMs = options.durationMs ?? 1000;
  const finalStatus = options.finalStatus ?? (() => "success");
  const pipelines: FakePipeline[] = [];
  let nextId = 1;
  let baseUrl = "";
  let hook: FakeGitLabHook | undefined;
  const hookCalls: FakeGitLab["hookCalls"] = [];
  const hookTimers = new Set<NodeJS.Timeout>();

  const statusOf = (pipeline: FakePipeline, now = Date.now()): string => {
    if (pipeline.cancelledAt !== null) return "canceled";
    const age = now - pipeline.createdAt;
    if (age < pendingMs) return "pending";
    if (age < pipeline.durationMs) return "running";
    return finalStatus(pipeline.project);
  };
  const view = (pipeline: FakePipeline) => {
    const status = statusOf(pipeline);
    const final = ["success", "failed", "canceled"].includes(status);
    return {
      id: pipeline.id,
      iid: pipeline.id,
      project_id: 1,
      sha: pipeline.sha,
      ref: pipeline.ref,
      status,
      source: "api",
      web_url: `${baseUrl}/${pipeline.project}/-/pipelines/${pipeline.id}`,
      created_at: new Date(pipeline.createdAt).toISOString(),
      updated_at: new Date().toISOString(),
      started_at: status === "pending" ? null : new Date(pipeline.createdAt + pendingMs).toISOString(),
      finished_at: final ? new Date(pipeline.cancelledAt ?? pipeline.createdAt + pipeline.durationMs).toISOString() : null,
    };
  };
  const find = (request: FakeRequest) =>
    pipelines.find((pipeline) => pipeline.project === request.params.project && pipeline.id === Number(request.params.id));
  const withPipeline = (request: FakeRequest, answer: (pipeline: FakePipeline) => FakeAnswer): FakeAnswer => {
    const pipeline = find(request);
    return pipeline ? answer(pipeline) : { status: 404, body: { message: "404 Not found" } };
  };

  const routes: Route[] = [
    {
      method: "POST",
      pattern: new RegExp(`^${PROJECT}/pipeline$`),
      handle: (request) => {
        const input = (request.body ?? {}) as { ref?: string; variables?: Array<{ key: string; value: string }> };
        if (!input.ref) return { status: 400, body: { message: "ref is missing" } };
        const variables = Object.fromEntries((input.variables ?? []).map((variable) => [variable.key, variable.value]));
        const pipeline: FakePipeline = {
          id: nextId++,
          project: request.params.project!,
          ref: input.ref,
          // GitLab builds the ref's head: the relay's pushes name it in RELAY_SHA.
          sha: variables.RELAY_SHA ?? createHash("sha1").update(input.ref).digest("hex"),
          variables,
          createdAt: Date.now(),
          cancelledAt: null,
          retries: 0,
          durationMs: options.durationFor ? options.durationFor(pipelines.length) : durationMs,
        };
        pipelines.push(pipeline);
        callHookAt(pipeline, pendingMs);
        callHookAt(pipeline, pipeline.durationMs);
        return { status: 201, body: view(pipeline) };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${PROJECT}/pipelines$`),
      handle: (request) => {
        const sha = request.query.get("sha");
        const ref = request.query.get("ref");
        const listed = pipelines
          .filter((pipeline) => pipeline.project === request.params.project && (!sha || pipeline.sha === sha) && (!ref || pipeline.ref === ref))
          .sort((a, b) => b.id - a.id)
          .map(view);
        return { status: 200, body: listed };
      },
    },
    {
      method: "GET",
      pattern: new RegExp(`^${PROJECT}/pipelines/(?<id>\\d+)$`),
      handle: (request) => withPipeline(request, (pipeline) => ({ status: 200, body: view(pipeline) })),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${PROJECT}/pipelines/(?<id>\\d+)/variables$`),
      handle: (request) =>
        withPipeline(request, (pipeline) => ({
          status: 200,
          body: Object.entries(pipeline.variables).map(([key, value]) => ({ key, value, variable_type: "env_var" })),
        })),
    },
    {
      method: "POST",
      pattern: new RegExp(`^${PROJECT}/pipelines/(?<id>\\d+)/cancel$`),
      handle: (request) =>
        withPipeline(request, (pipeline) => {
          if (!["success", "failed"].includes(statusOf(pipeline))) pipeline.cancelledAt ??= Date.now();
          return { status: 200, body: view(pipeline) };
        }),
    },
    {
      method: "POST",
      pattern: new RegExp(`^${PROJECT}/pipelines/(?<id>\\d+)/retry$`),
      handle: (request) =>
        withPipeline(request, (pipeline) => {
          pipeline.retries += 1;
          pipeline.cancelledAt = null;
          pipeline.createdAt = Date.now();
          return { status: 201, body: view(pipeline) };
        }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${PROJECT}/pipelines/(?<id>\\d+)/test_report_summary$`),
      handle: (request) =>
        withPipeline(request, () => ({ status: 200, body: { total: { time: 0, count: 0, success: 0, failed: 0, skipped: 0, error: 0 }, test_suites: [] } })),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${PROJECT}/pipelines/(?<id>\\d+)/test_report$`),
      handle: (request) =>
        withPipeline(request, () => ({ status: 200, body: { total_time: 0, total_count: 0, success_count: 0, failed_count: 0, skipped_count: 0, error_count: 0, test_suites: [] } })),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${PROJECT}/pipelines/(?<id>\\d+)/jobs$`),
      handle: (request) => withPipeline(request, () => ({ status: 200, body: [] })),
    },
  ];

  /** GitLab's Pipeline event (its webhook docs), with the fields a receiver reads. */
  function callHookAt(pipeline: FakePipeline, afterMs: number): void {
    if (!hook) return;
    const timer = setTimeout(() => {
      hookTimers.delete(timer);
      const target = hook;
      if (!target) return;
      const status = statusOf(pipeline);
      const body = JSON.stringify({
        object_kind: "pipeline",
        object_attributes: { id: pipeline.id, iid: pipeline.id, ref: pipeline.ref, sha: pipeline.sha, status, detailed_status: status, variables: Object.entries(pipeline.variables).map(([key, value]) => ({ key, value })) },
        project: { id: 1, path_with_namespace: decodeURIComponent(pipeline.project) },
        builds: [],
      });
      fetch(target.url, { method: "POST", headers: { "content-type": "application/json", "x-gitlab-event": "Pipeline Hook", "x-gitlab-token": target.token }, body })
        .then((response) => hookCalls.push({ at: Date.now(), pipeline: pipeline.id, status, answer: response.status }))
        .catch(() => hookCalls.push({ at: Date.now(), pipeline: pipeline.id, status, answer: "error" }));
    }, Math.max(0, afterMs));
    timer.unref();
    hookTimers.add(timer);
  }

  const server = await startFakeServer(routes);
  baseUrl = server.url;
  const countBy = (key: (pipeline: FakePipeline) => string) => {
    const counts = new Map<string, number>();
    for (const pipeline of pipelines) counts.set(key(pipeline), (counts.get(key(pipeline)) ?? 0) + 1);
    return counts;
  };
  return {
    ...server,
    close: async () => {
      for (const timer of hookTimers) clearTimeout(timer);
      hookTimers.clear();
      await server.close();
    },
    pipelines,
    statusOf,
    delayProject: (project, ms) => server.addFault({ path: new RegExp(`^/api/v4/projects/${escapeRegExp(encodeURIComponent(project))}(/|$)`, "i"), delayMs: ms }),
    hookCalls,
    setHook: (next) => void (hook = next),
    createsPerRunId: () => countBy((pipeline) => pipeline.variables.RELAY_RUN_ID ?? "(none)"),
    createsPerTrigger: () =>
      countBy((pipeline) => `${pipeline.variables.RELAY_REPOSITORY ?? "?"}@${pipeline.variables.RELAY_SHA ?? pipeline.sha} ${pipeline.variables.RELAY_PIPELINE ?? "?"}`),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
