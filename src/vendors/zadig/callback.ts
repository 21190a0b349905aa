import { z } from "zod";
import { vendorId } from "../envelope.js";
import { parseNotification, type VendorCallbacks } from "../callbacks.js";
import type { ZadigTarget } from "./schema.js";

/**
 * The fields we read of a custom workflow's "Webhook" notification (Zadig 3.2+, webhooknotify): the task id is the
 * vendor run id stored for OpenAPI runs. Task ids count per workflow, so a hint may also wake a run of another
 * workflow with the same task id on this connection: one extra poll, never a wrong state.
 */
const workflowNotification = z.object({
  object_kind: z.literal("workflow"),
  workflow: z.object({ task_id: vendorId }),
});

/** Zadig custom-workflow notifications of type Webhook, authenticated by their token in `X-Zadig-Token`. */
export const zadigCallbacks: VendorCallbacks = {
  tokenHeader: "x-zadig-token",
  // The body carries every stage and job of the task with its spec.
  maxBytes: 2 * 1024 * 1024,
  runIdsOf(body) {
    const event = parseNotification(body, workflowNotification);
    return event ? [event.workflow.task_id] : [];
  },
  hookScope: (target) => {
    const { project, workflow } = target as ZadigTarget;
    return `${project ?? "?"}/${workflow ?? "?"}`;
  },
  // Zadig's API has no documented call to add a notification to a workflow: it is set up in the workflow's editor.
  manualSetup: (url) =>
    `in Zadig, edit the workflow → Notification → add one of type Webhook: address ${url}, token = the connection's callback_token, ` +
    "notify on every state you want reported (started, passed, failed, cancelled, timeout)",
};
