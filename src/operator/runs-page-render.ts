import type { FlakyTestCount } from "../storage/types.js";
import { ageSeconds } from "./metrics.js";
import type { OperatorBacklog, RunsPageRun } from "./types.js";

/** Run states in the order people think of them; the filter offers these. */
export const RUN_STATES = [
  "waiting", "pending", "starting", "queued", "running", "awaiting_results",
  "success", "failure", "cancelled", "error", "timed_out", "skipped",
] as const;

export interface RunsQuery {
  repo?: string;
  pipeline?: string;
  state?: string;
  /** A commit sha or its prefix. */
  sha?: string;
  limit: number;
}

export interface RunsPageModel {
  runs: readonly RunsPageRun[];
  /** undefined when the store could not be read. */
  backlog: OperatorBacklog | undefined;
  query: RunsQuery;
  now: number;
  /** Background work older than this counts as stalled (the /readyz limit). */
  stalledAfterSeconds: number;
  /** Where commits link to: https://github.com or the GHE host. */
  githubWebUrl: string;
  /** The repository's flakiest tests, when the page is filtered to one repository. */
  flakyTests?: readonly FlakyTestCount[];
}

const TEXT_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (char) => TEXT_ESCAPES[char]!);
}

/** Only http(s) URLs become links: a stored `javascript:` URL stays text. */
export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** `1 h 5 min`, `42 s`: precise enough for a glance. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

/** `3 min ago`: how long ago something started, to the minute once past one. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} h ${minutes % 60} min ago`;
}

export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

/** How long a run took, or has been going; empty before it started. */
export function runDuration(run: Pick<RunsPageRun, "startedAt" | "finishedAt">, now: number): string {
  if (run.startedAt === null) return "";
  return run.finishedAt === null ? `${formatDuration(now - run.startedAt)} so far` : formatDuration(run.finishedAt - run.startedAt);
}

/** A link to the page with some filters replaced (the others kept). */
export function filterHref(query: RunsQuery, change: Partial<RunsQuery>): string {
  const merged = { ...query, ...change };
  const params = new URLSearchParams();
  for (const key of ["repo", "pipeline", "state", "sha"] as const) {
    const value = merged[key];
    if (value) params.set(key, value);
  }
  if (merged.limit !== DEFAULT_LIMIT) params.set("limit", String(merged.limit));
  const search = params.toString();
  return search ? `?${search}` : "?";
}

export const DEFAULT_LIMIT = 100;

export function renderRunsPage(model: RunsPageModel): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>pipeline-relay · recent runs</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>pipeline-relay <span>recent runs</span></h1><p class="stamp">as of ${escapeHtml(formatUtc(model.now))}</p></header>
${renderHealth(model)}
${renderFilters(model.query)}
${renderRuns(model)}
${renderFlakyTests(model)}
</body>
</html>
`;
}

function renderHealth(model: RunsPageModel): string {
  const { backlog, now, stalledAfterSeconds } = model;
  if (!backlog) {
    return `<section class="health" aria-label="engine health"><div class="card bad" data-testid="engine-status"><b>store unreachable</b><small>the run store did not answer</small></div></section>`;
  }
  const eventAge = ageSeconds(backlog.oldestDueEventAt, now);
  const runAge = ageSeconds(backlog.oldestDueRunAt, now);
  const stalled = Math.max(eventAge, runAge) > stalledAfterSeconds;
  const active = backlog.activeRuns.reduce((sum, group) => sum + group.count, 0);
  const card = (label: string, value: string, note: string, tone = "") =>
    `<div class="card ${tone}"><b>${escapeHtml(value)}</b><span>${escapeHtml(label)}</span><small>${escapeHtml(note)}</small></div>`;
  return `<section class="health" aria-label="engine health">
<div class="card ${stalled ? "bad" : "good"}" data-testid="engine-status"><b>${stalled ? "stalled" : "healthy"}</b><span>engine</span><small>${escapeHtml(
    stalled ? `due work is older than ${formatDuration(stalledAfterSeconds * 1000)}` : "background work is keeping up",
  )}</small></div>
${card("pending events", String(backlog.pendingEvents), backlog.oldestDueEventAt === null ? "none due" : `oldest due ${formatDuration(eventAge * 1000)} ago`, eventAge > stalledAfterSeconds ? "bad" : "")}
${card("due run work", backlog.oldestDueRunAt === null ? "none" : formatDuration(runAge * 1000), "age of the oldest poll or GitHub write", runAge > stalledAfterSeconds ? "bad" : "")}
${card("active runs", String(active), backlog.activeRuns.map((g) => `${g.count} ${g.state} (${g.vendor})`).join(", ") || "nothing running")}
</section>`;
}

function renderFilters(query: RunsQuery): string {
  const options = ["", ...RUN_STATES]
    .map((state) => `<option value="${escapeHtml(state)}"${state === (query.state ?? "") ? " selected" : ""}>${escapeHtml(state || "any state")}</option>`)
    .join("");
  const input = (name: string, label: string, value: string | undefined, placeholder: string) =>
    `<label>${escapeHtml(label)}<input name="${name}" value="${escapeHtml(value ?? "")}" placeholder="${escapeHtml(placeholder)}"></label>`;
  return `<form class="filters" method="get" aria-label="filter runs">
${input("repo", "repository", query.repo, "owner/name")}
${input("pipeline", "pipeline", query.pipeline, "build")}
<label>state<select name="state">${options}</select></label>
${input("sha", "commit", query.sha, "sha or prefix")}
<button type="submit">filter</button> <a href="?">clear</a>
</form>`;
}

function renderRuns(model: RunsPageModel): string {
  if (model.runs.length === 0) return `<p class="empty" data-testid="no-runs">No runs match these filters.</p>`;
  const rows = model.runs.map((run) => renderRun(run, model)).join("\n");
  return `<table data-testid="runs">
<thead><tr><th>repository</th><th>pipeline</th><th>commit</th><th>state</th><th>started</th><th>duration</th><th>vendor</th><th>note</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="count">${model.runs.length} run${model.runs.length === 1 ? "" : "s"} shown (newest first, at most ${model.query.limit}).</p>`;
}

function renderFlakyTests(model: RunsPageModel): string {
  if (!model.flakyTests || !model.query.repo) return "";
  const heading = `<h2>Flakiest tests of ${escapeHtml(model.query.repo)}</h2>`;
  if (model.flakyTests.length === 0) return `<section data-testid="flaky-tests">${heading}<p class="empty">No test has been flaky here yet.</p></section>`;
  const rows = model.flakyTests
    .map(
      (test) =>
        `<tr><td>${escapeHtml(test.pipeline)}</td><td>${escapeHtml(test.suite)}</td><td>${escapeHtml(test.name)}</td><td>${escapeHtml(test.commits)}</td><td title="${escapeHtml(formatUtc(test.lastSeenAt))}">${escapeHtml(formatAge(model.now - test.lastSeenAt))}</td></tr>`,
    )
    .join("\n");
  return `<section data-testid="flaky-tests">${heading}
<table>
<thead><tr><th>pipeline</th><th>suite</th><th>test</th><th>flaky on commits</th><th>last seen</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="count">Failed in one attempt and passed in another on the same commit; most commits first.</p></section>`;
}

function renderRun(run: RunsPageRun, model: RunsPageModel): string {
  const repository = `${run.owner}/${run.repo}`;
  const commitUrl = safeHref(`${model.githubWebUrl}/${encodeURIComponent(run.owner)}/${encodeURIComponent(run.repo)}/commit/${encodeURIComponent(run.sha)}`);
  const vendorUrl = safeHref(run.webUrl);
  const pr = run.prNumber !== null ? ` <span class="pr">#${escapeHtml(run.prNumber)}</span>` : "";
  const attempt = run.attempt > 1 ? ` <span class="attempt">attempt ${escapeHtml(run.attempt)}</span>` : "";
  const note = run.cancelReason ?? run.note ?? "";
  const started = run.startedAt ?? run.createdAt;
  return `<tr data-run-id="${escapeHtml(run.id)}">
<td><a href="${escapeHtml(filterHref(model.query, { repo: repository }))}">${escapeHtml(repository)}</a></td>
<td><a href="${escapeHtml(filterHref(model.query, { pipeline: run.pipeline }))}">${escapeHtml(run.pipeline)}</a>${attempt}</td>
<td><a class="sha" href="${escapeHtml(commitUrl ?? "#")}" title="${escapeHtml(run.sha)}">${escapeHtml(run.sha.slice(0, 7))}</a> <span class="ref">${escapeHtml(run.ref)}</span>${pr}</td>
<td><span class="state s-${escapeHtml(run.state)}" title="${escapeHtml(run.vendorStatus ?? "")}">${escapeHtml(run.state.replace(/_/g, " "))}</span></td>
<td title="${escapeHtml(formatUtc(started))}">${escapeHtml(formatAge(model.now - started))}</td>
<td>${escapeHtml(runDuration(run, model.now))}</td>
<td>${vendorUrl ? `<a href="${escapeHtml(vendorUrl)}" rel="noreferrer noopener" target="_blank">${escapeHtml(run.vendor)} ↗</a>` : escapeHtml(run.vendor)}<br><small>${escapeHtml(run.connection)}</small></td>
<td class="note">${escapeHtml(note)}</td>
</tr>`;
}

const STYLE = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--good:#1a7f37;--bad:#cf222e;--warn:#9a6700;--info:#0969da}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:#fff}
header{display:flex;align-items:baseline;justify-content:space-between;border-bottom:1px solid var(--line);margin-bottom:16px}
h1{font-size:22px;margin:0 0 12px}h1 span{color:var(--muted);font-weight:400}
.stamp{color:var(--muted);margin:0}
.health{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:12px;margin-bottom:16px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:var(--bg);display:flex;flex-direction:column}
.card b{font-size:20px}.card span{color:var(--muted)}.card small{color:var(--muted);margin-top:4px}
.card.good{border-left:4px solid var(--good)}.card.good b{color:var(--good)}
.card.bad{border-left:4px solid var(--bad)}.card.bad b{color:var(--bad)}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end;margin-bottom:16px}.filters a{padding-bottom:6px}
.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
.filters input,.filters select{font:inherit;height:32px;padding:5px 8px;border:1px solid var(--line);border-radius:6px;min-width:160px}
.filters button{font:inherit;padding:5px 14px;border-radius:6px;border:1px solid #1f883d;background:#1f883d;color:#fff;cursor:pointer}
table{width:100%;border-collapse:collapse}
th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);border-bottom:2px solid var(--line);padding:6px 8px}
td{border-bottom:1px solid var(--line);padding:8px;vertical-align:top}
tbody tr:hover{background:var(--bg)}
a{color:var(--info);text-decoration:none}a:hover{text-decoration:underline}
.sha{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.ref,.attempt,td small{color:var(--muted)}.pr{color:var(--muted);font-weight:600}
.note{max-width:380px;color:var(--muted);white-space:pre-wrap;word-break:break-word}
.state{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;background:#eaeef2;color:var(--muted);white-space:nowrap}
.s-success{background:#dafbe1;color:var(--good)}
.s-failure,.s-error,.s-timed_out{background:#ffebe9;color:var(--bad)}
.s-running,.s-queued,.s-starting,.s-pending,.s-awaiting_results{background:#ddf4ff;color:var(--info)}
.s-waiting{background:#fff8c5;color:var(--warn)}
.empty,.count{color:var(--muted)}
`;
