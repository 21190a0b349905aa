import { z } from "zod";
import { vendorId } from "../envelope.js";
import type { HookResult, HookSpec } from "../callbacks.js";
import type { VendorDeps } from "../types.js";
import { createGitlabClient } from "./client.js";
import type { GitlabConnection, GitlabTarget } from "./schema.js";

const hook = z.object({ id: vendorId, url: z.string() });
const HOOKS_PER_PAGE = 100;
/** 2,000 hooks on one project is far beyond GitLab's own per-project limit (100 by default). */
const MAX_PAGES = 20;

/**
 * The project webhook that sends Pipeline events to pipeline-relay (GitLab "Project webhooks" API, Maintainer role):
 * found by its URL among the project's hooks and updated (its secret cannot be read back, so it is always written),
 * else created. Only Pipeline events: Job events would add hints, not information. Safe to run again.
 */
export async function ensureGitlabHook(deps: VendorDeps<GitlabConnection>, target: GitlabTarget, spec: HookSpec): Promise<HookResult> {
  const { http, projectPath } = createGitlabClient(deps);
  const hooksPath = `${projectPath(target)}/hooks`;
  const body = {
    url: spec.url,
    token: spec.token,
    pipeline_events: true,
    job_events: false,
    // GitLab turns push events on unless told otherwise.
    push_events: false,
    enable_ssl_verification: spec.url.startsWith("https:"),
  };
  const existing = await findHook(http, hooksPath, spec.url);
  const project = String(target.project);
  if (spec.dryRun) {
    spec.print(`${existing ? "PUT" : "POST"} ${hooksPath}${existing ? `/${existing}` : ""} ${JSON.stringify({ ...body, token: "[callback_token]" })}`);
    return { outcome: "dry-run", message: `${existing ? "would update hook " + existing : "would create a hook"} on ${project}` };
  }
  if (existing) {
    await http.request("updateHook", { method: "PUT", path: `${hooksPath}/${existing}`, json: body, schema: hook, action: `update webhook ${existing} of ${project}` });
    return { outcome: "updated", message: `webhook ${existing} on ${project} sends Pipeline events to ${spec.url}` };
  }
  const created = await http.request("createHook", { method: "POST", path: hooksPath, json: body, schema: hook, action: `add a webhook to ${project}` });
  return { outcome: "created", message: `webhook ${created.id} on ${project} sends Pipeline events to ${spec.url}` };
}

async function findHook(http: ReturnType<typeof createGitlabClient>["http"], hooksPath: string, url: string): Promise<string | undefined> {
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const hooks = await http.request("listHooks", { path: hooksPath, query: { per_page: HOOKS_PER_PAGE, page }, schema: z.array(hook), action: "list webhooks" });
    const found = hooks.find((candidate) => candidate.url === url);
    if (found) return found.id;
    if (hooks.length < HOOKS_PER_PAGE) return undefined;
  }
  return undefined;
}
