import { z } from "zod";
import { pathName } from "../path-segment.js";
import { callbackConnectionFields } from "../callbacks.js";
import { zadigDefinition } from "./definition-schema.js";

/** The three API generations a Zadig (or its predecessor, qbox aslan) server may speak. */
export const ZADIG_APIS = ["openapi", "v1.7", "pipeline-v2"] as const;
export type ZadigApi = (typeof ZADIG_APIS)[number];

/** Vendor-specific fields of an operator-config connection. */
export const zadigConnection = z.object({
  url: z.url({ protocol: /^https?$/ }),
  token: z.string().min(1),
  api: z.enum(ZADIG_APIS).default("openapi"),
  /** Zadig reads `Authorization: Bearer <token>`; a gateway in front of it may expect another header. */
  token_header: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, "an HTTP header name")
    .default("authorization"),
  /** Put before the token with one space; "" sends the bare token. */
  token_scheme: z.string().default("Bearer"),
  /** Where people open task pages, when it differs from the API `url`. */
  web_url: z.url({ protocol: /^https?$/ }).optional(),
  /** Prefix of the pipeline V1/V2 create API: `/api` on qbox aslan (the seed), `/api/aslan/workflow` on Zadig 1.x. */
  pipelines_prefix: z
    .string()
    .regex(/^(\/[A-Za-z0-9._-]+)+$/, "a path like /api or /api/aslan/workflow")
    .default("/api"),
  /** Custom-workflow Webhook notifications to /pipeline-relay/callbacks/zadig/<connection> (OpenAPI only). */
  ...callbackConnectionFields,
});
export type ZadigConnection = z.infer<typeof zadigConnection>;

const name = z.string().min(1);
const serviceRef = z.strictObject({ service_name: name, service_module: name });
export type ZadigServiceRef = z.infer<typeof serviceRef>;

/** One job of a custom workflow that receives the commit (OpenAPI `inputs[]`). */
const workflowJob = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("zadig-build"),
    name,
    /** `<registry address>/<namespace>`, as Zadig lists its image registries. */
    registry: name,
    services: z.array(serviceRef).min(1),
  }),
  z.strictObject({ type: z.literal("zadig-testing"), name, testings: z.array(name).min(1) }),
  z.strictObject({ type: z.literal("freestyle"), name }),
]);
export type ZadigWorkflowJob = z.infer<typeof workflowJob>;

/** The pipeline's vendor block in `.github/pipelines.yml`. */
export const zadigTarget = z
  .strictObject({
    /** Zadig project (OpenAPI `project_key`, v1.7 `product_tmpl_name`, pipeline V2 `product_name`). */
    project: pathName("project").optional(),
    /** A custom workflow (OpenAPI) or product workflow (v1.7). */
    workflow: pathName("workflow").optional(),
    /** A pipeline V2 of the predecessor API. */
    pipeline: pathName("pipeline").optional(),
    /** Zadig's name for the code host holding this repository (OpenAPI `codehost_name`). */
    codehost: name.optional(),
    /** Zadig's id of that code host (v1.7 and pipeline V2 `codehost_id`). */
    codehost_id: z.number().int().positive().optional(),
    /** Only when Zadig knows the repository under another owner or name than GitHub does. */
    repository: z
      .strictObject({ namespace: name.optional(), name: name.optional(), source: name.default("github") })
      .optional(),
    /** OpenAPI: the workflow's jobs that build or test the commit. */
    jobs: z.array(workflowJob).min(1).optional(),
    /** v1.7: the environment (namespace) the workflow deploys to. */
    env: name.optional(),
    /** v1.7: the services whose builds receive the commit. */
    services: z.array(serviceRef).min(1).optional(),
    /** v1.7: test modules that run against the commit. */
    tests: z.array(name).min(1).optional(),
    /** What `pipeline-relay provision` creates on the vendor. */
    definition: zadigDefinition.optional(),
  })
  .superRefine((target, ctx) => {
    if ((target.workflow === undefined) === (target.pipeline === undefined)) {
      ctx.addIssue({ code: "custom", path: [], message: "name exactly one of `workflow` (with `project`) or `pipeline`" });
    }
    if (target.workflow !== undefined && target.project === undefined) {
      ctx.addIssue({ code: "custom", path: ["project"], message: "a workflow belongs to a project: set `project`" });
    }
    const kind = target.definition?.type;
    if ((kind === "pipeline-v1" || kind === "pipeline-v2") && target.pipeline === undefined) {
      ctx.addIssue({ code: "custom", path: ["definition", "type"], message: `a ${kind} definition needs \`pipeline\` (its name)` });
    }
    if (kind === "workflow" && target.workflow === undefined) {
      ctx.addIssue({ code: "custom", path: ["definition", "type"], message: "a workflow definition needs `workflow` (its name) and `project`" });
    }
  });
export type ZadigTarget = z.infer<typeof zadigTarget>;
