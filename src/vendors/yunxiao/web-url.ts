/**
 * The API returns no link to a run, so the link is built from a template (vendor-apis §8.1).
 * The central default follows the Flow console's run page; it is third-party knowledge, hence overridable.
 */
export const CENTRAL_WEB_URL = "https://flow.aliyun.com/pipelines/{pipelineId}/builds/{runId}";

const PLACEHOLDERS = ["pipelineId", "runId"] as const;

/** A problem with a `web_url` template, or undefined when it is usable. */
export function checkWebUrlTemplate(template: string): string | undefined {
  const unknown = [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!).filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    return `unknown placeholder ${unknown.map((name) => `{${name}}`).join(", ")}; use {pipelineId} and {runId}`;
  }
  if (!template.includes("{runId}")) return "must contain {runId}, so each check run links to its own Flow run";
  try {
    const url = new URL(renderWebUrl(template, { pipelineId: "1", runId: "1" }));
    if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an http(s) URL";
  } catch {
    return "must be an absolute http(s) URL, e.g. https://flow.aliyun.com/pipelines/{pipelineId}/builds/{runId}";
  }
  return undefined;
}

export function renderWebUrl(template: string, ids: { pipelineId: string; runId: string }): string {
  return template
    .replaceAll("{pipelineId}", encodeURIComponent(ids.pipelineId))
    .replaceAll("{runId}", encodeURIComponent(ids.runId));
}
