import { z } from "zod";
import { vendorId } from "../envelope.js";
import { checkWebUrlTemplate } from "./web-url.js";

/** Flow ids are numeric; YAML may give them as numbers or quoted strings. */
const numericId = z.union([z.number().int().positive(), z.string().regex(/^[0-9]+$/, "a numeric Flow id")]);

/** The pipeline's vendor block in `.github/pipelines.yml`. */
export const yunxiaoTarget = z.strictObject({
  pipeline_id: numericId,
  /**
   * The repository URL exactly as the Flow pipeline's code source knows it: Flow keys
   * `runningBranchs` / `runningTags` by it. Default: the GitHub clone URL.
   */
  repository_url: z.string().trim().min(1).optional(),
});
export type YunxiaoTarget = z.infer<typeof yunxiaoTarget>;

/**
 * Vendor-specific fields of an operator-config connection. Rules that join two fields
 * (organization_id per edition, url for region) are checked by resolveConnection, because the
 * operator config only takes this object's shape.
 */
export const yunxiaoConnection = z.object({
  edition: z.enum(["central", "region"]).default("central"),
  /** API base; central default https://openapi-rdc.aliyuncs.com, region: the instance's own domain. */
  url: z.url({ protocol: /^https?$/ }).optional(),
  organization_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "an organization id from the organization admin console (letters, digits, _ -)")
    .optional(),
  /** Personal access token (`pt-…`), sent as `x-yunxiao-token`. */
  token: z.string().min(1),
  /** Link to one run, with `{pipelineId}` and `{runId}`. */
  web_url: z.string().superRefine((template, ctx) => {
    const problem = checkWebUrlTemplate(template);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }).optional(),
  /** `run`: the run-level stop (UpdatePipelineRun), falling back to job stops when refused; `jobs`: job stops only. */
  stop: z.enum(["run", "jobs"]).default("run"),
});
export type YunxiaoConnection = z.infer<typeof yunxiaoConnection>;

const job = z.object({
  id: z.union([vendorId, z.string()]).nullish(),
  name: z.string().nullish(),
  status: z.string().nullish(),
  startTime: z.number().nullish(),
  endTime: z.number().nullish(),
});

const stage = z.object({
  name: z.string().nullish(),
  stageInfo: z
    .object({
      name: z.string().nullish(),
      status: z.string().nullish(),
      jobs: z.array(job).nullish(),
    })
    .nullish(),
});

const source = z.object({
  /** Documented keys include `repo` and `branch`; the built commit's key is read leniently (see run-facts). */
  data: z.record(z.string(), z.unknown()).nullish(),
  name: z.string().nullish(),
});

/** GetPipelineRun, only the fields we use. */
export const pipelineRun = z.object({
  pipelineRunId: vendorId.nullish(),
  status: z.string(),
  createTime: z.number().nullish(),
  updateTime: z.number().nullish(),
  stages: z.array(stage).nullish(),
  sources: z.array(source).nullish(),
});
export type PipelineRun = z.infer<typeof pipelineRun>;

/** CreatePipelineRun answers with a bare integer: the run id, which is also the run number. */
export const createdRunId = vendorId.refine((id) => id !== "0", "a run id");

/**
 * UpdatePipelineRun (the run-level stop) has no documented answer: an empty body, `true`, `{}` or
 * `{success: true}` count as accepted. Errors (`errorCode`, `success: false`) are recognised before this.
 */
export const stopAnswer = z.union([z.literal(""), z.null(), z.literal(true), z.strictObject({}), z.looseObject({ success: z.literal(true) })]);

/** StopPipelineJobRun / RetryPipelineJobRun answer `true` or `false`. */
export const jobActionResult = z.boolean();

/** GetPipelineJobRunLog. */
export const jobLog = z.object({
  content: z.string().nullish(),
  last: z.number().nullish(),
  more: z.boolean().nullish(),
});

/** Error bodies: `{errorCode, errorMessage}`; some answers carry `errorDescription` or `message` instead. */
export const errorBody = z.object({
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  errorDescription: z.string().optional(),
  message: z.string().optional(),
});
