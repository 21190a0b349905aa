import type { Server } from "node:http";

/**
 * The HTTP servers this process listens on. Under `probot run` the app never receives Probot's http.Server, so it
 * is found among the process's active handles (`process._getActiveHandles`, present in every Node.js release this
 * app supports; an empty list if it ever goes away, and the callers then do without).
 */
export function listeningServers(): Server[] {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  return handles.filter((handle): handle is Server => {
    const candidate = handle as Partial<Server>;
    return typeof candidate.close === "function" && typeof candidate.listeners === "function" && candidate.listening === true && candidate.listeners("request").length > 0;
  });
}

/** Whether the entry point owns the HTTP server (src/bin/serve.ts) rather than `probot run`. */
let owned = false;

export function markServerOwned(): void {
  owned = true;
}

export function serverOwned(): boolean {
  return owned;
}
