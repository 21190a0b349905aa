import { z } from "zod";
import { vendorId } from "../envelope.js";
import { parseNotification, type VendorCallbacks } from "../callbacks.js";
import { ensureGitlabHook } from "./hook.js";
import type { GitlabTarget } from "./schema.js";

/** The fields we read of GitLab's Pipeline and Job webhook events (GitLab's "Webhook events" docs). */
const pipelineEvent = z.object({ object_kind: z.literal("pipeline"), object_attributes: z.object({ id: vendorId }) });
const jobEvent = z.object({ object_kind: z.literal("build"), pipeline_id: vendorId });
const notification = z.union([pipelineEvent, jobEvent]);

/** GitLab project or group webhooks with Pipeline and Job events, authenticated by their secret token. */
export const gitlabCallbacks: VendorCallbacks = {
  tokenHeader: "x-gitlab-token",
  // Pipeline events list every job of the pipeline; 2 MiB holds a few thousand jobs.
  maxBytes: 2 * 1024 * 1024,
  runIdsOf(body) {
    const event = parseNotification(body, notification);
    if (!event) return [];
    return [event.object_kind === "pipeline" ? event.object_attributes.id : event.pipeline_id];
  },
  hookScope: (target) => String((target as GitlabTarget).project),
  ensureHook: (deps, target, spec) => ensureGitlabHook(deps, target as GitlabTarget, spec),
  manualSetup: (url) =>
    `in the GitLab project, Settings → Webhooks → Add new webhook: URL ${url}, Secret token = the connection's callback_token, trigger: Pipeline events`,
};
