import { z } from "zod";
import { vendorId } from "../envelope.js";
import { pathName } from "../path-segment.js";
import { callbackConnectionFields } from "../callbacks.js";

/** The pipeline's vendor block in `.github/pipelines.yml`. */
export const gitlabTarget = z.strictObject({
  /** Numeric project id or full path (`group/project`). */
  project: z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/), pathName("project (a GitLab project path like group/project)", { nested: true })]),
  /** Run this GitLab ref instead of the GitHub branch or tag (for projects that are not mirrors). */
  ref: z.string().min(1).optional(),
});
export type GitlabTarget = z.infer<typeof gitlabTarget>;

/** Vendor-specific fields of an operator-config connection. */
export const gitlabConnection = z.object({
  url: z.url({ protocol: /^https?$/ }),
  token: z.string().min(1),
  /** GitLab accepts a personal/project access token as PRIVATE-TOKEN, an OAuth token as Bearer. */
  token_header: z.enum(["private-token", "bearer"]).default("private-token"),
  /** GitLab webhooks (Pipeline and Job events) to /pipeline-relay/callbacks/gitlab/<connection>. */
  ...callbackConnectionFields,
});
export type GitlabConnection = z.infer<typeof gitlabConnection>;

/** Only the fields we use; GitLab sends many more. */
export const pipeline = z.object({
  id: vendorId,
  sha: z.string(),
  ref: z.string(),
  status: z.string(),
  web_url: z.string(),
  started_at: z.string().nullish(),
  finished_at: z.string().nullish(),
});
export type Pipeline = z.infer<typeof pipeline>;

export const testReportSummary = z.object({
  total: z.object({
    count: z.number(),
    success: z.number(),
    failed: z.number(),
    skipped: z.number(),
    error: z.number(),
  }),
});

export const jobs = z.array(
  z.object({
    id: vendorId,
    name: z.string(),
    stage: z.string(),
    status: z.string(),
  }),
);

/** `{"message": "..."}`, `{"message": {"field": ["..."]}}` or `{"error": "..."}`. */
export const errorBody = z.object({
  message: z.union([z.string(), z.record(z.string(), z.union([z.array(z.string()), z.string()]))]).optional(),
  error: z.string().optional(),
});
