import { z } from "zod";

/** Ids CodeArts puts into URL paths: letters and digits only, so a config value can never change the path. */
const pathId = (what: string) => z.string().regex(/^[A-Za-z0-9]+$/, `${what}: letters and digits only (copy it from the CodeArts URL)`);

/** Repository types of a v5 pipeline code source (RunPipeline `git_type`). */
export const GIT_TYPES = ["codehub", "gitee", "github", "gitcode", "gitlab"] as const;

/** The pipeline's vendor block in `.github/pipelines.yml`. */
export const codeartsTarget = z.strictObject({
  /** The CodeArts project id (32 characters), not the IAM project. */
  project_id: pathId("project_id"),
  pipeline_id: pathId("pipeline_id"),
  /** The pipeline's code source, as CodeArts knows it. */
  source: z
    .strictObject({
      git_type: z.enum(GIT_TYPES),
      /** HTTPS address of the repository; for `github` it defaults to the GitHub repository's clone URL. */
      git_url: z.url({ protocol: /^https$/ }).optional(),
      /** CodeArts Repo id, for `codehub` sources. */
      codehub_id: z.string().min(1).optional(),
      /** The source's alias in a pipeline with several code sources. */
      alias: z.string().min(1).optional(),
      /** CodeArts service endpoint that holds the credentials for a non-CodeArts repository. */
      endpoint_id: z.string().min(1).optional(),
      default_branch: z.string().min(1).optional(),
    })
    .refine((source) => source.git_type === "github" || source.git_url !== undefined || source.codehub_id !== undefined, {
      message: "needs git_url or codehub_id (only a github source can default to the GitHub clone URL)",
    }),
  /**
   * `build_params.event_type` of the run. CodeArts documents no list of values; run records of runs
   * started by hand show `Manual`, which is what an API start is.
   */
  event_type: z.string().min(1).default("Manual"),
});
export type CodeartsTarget = z.infer<typeof codeartsTarget>;

const httpsUrl = z.url({ protocol: /^https?$/ });
const text = z.string().min(1);

/**
 * Vendor-specific fields of an operator-config connection. Credentials are top-level fields so the
 * shared `${ENV}`-only rule and masking (which look at top-level keys) cover them. Exactly one form,
 * IAM user or AK/SK, must be set: see `credentialProblem` in auth.ts.
 */
export const codeartsConnection = z.object({
  /** Huawei Cloud region id, e.g. `cn-north-4`. */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "a Huawei Cloud region id such as cn-north-4"),
  /** Defaults to `https://cloudpipeline-ext.{region}.myhuaweicloud.com`. */
  url: httpsUrl.optional(),
  /** Defaults to `https://iam.{region}.myhuaweicloud.com`. */
  iam_url: httpsUrl.optional(),
  iam_user: text.optional(),
  iam_password: text.optional(),
  /** The account (domain) name the IAM user belongs to. */
  iam_domain: text.optional(),
  /** IAM project name the token is scoped to; defaults to the region id. */
  iam_project: text.optional(),
  /** IAM project id: scopes the token (IAM form) or is sent as `X-Project-Id` (AK/SK form). */
  iam_project_id: pathId("iam_project_id").optional(),
  access_key: text.optional(),
  secret_key: text.optional(),
});
export type CodeartsConnection = z.infer<typeof codeartsConnection>;

/** A start accepted at once: `{pipeline_run_id}`. */
export const runStarted = z.object({ pipeline_run_id: z.string().min(1) });

/** Stop and retry answer `{success: true}`; false means CodeArts refused. */
export const successFlag = z.object({ success: z.boolean() });

/**
 * The cancel-queuing answer is not documented: nothing, `{}`, `true` or `{success: true}` count as accepted.
 * An error (`error_code`) is recognised before this; any other object fails loudly instead of passing.
 */
export const cancelQueuingAnswer = z.union([z.literal(""), z.null(), z.literal(true), z.strictObject({}), z.looseObject({ success: z.literal(true) })]);

/** Run `start_time`/`end_time` are epoch milliseconds; stage times may be strings of unknown format. */
const time = z.union([z.number(), z.string()]).nullish();

const step = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  status: z.string().nullish(),
  message: z.string().nullish(),
  start_time: time,
  end_time: time,
});

const job = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  status: z.string().nullish(),
  message: z.string().nullish(),
  steps: z.array(step).nullish(),
  start_time: time,
  end_time: time,
});

const stage = z.object({
  name: z.string().nullish(),
  status: z.string().nullish(),
  jobs: z.array(job).nullish(),
});
export type StageRun = z.infer<typeof stage>;

/** Only the fields we use of `GET …/pipeline-runs/detail`. */
export const runDetail = z.object({
  status: z.string(),
  detail_url: z.string().nullish(),
  start_time: time,
  end_time: time,
  sources: z
    .array(
      z.object({
        params: z
          .object({ build_params: z.object({ commit_id: z.string().nullish() }).nullish() })
          .nullish(),
      }),
    )
    .nullish(),
  stages: z.array(stage).nullish(),
});
export type RunDetail = z.infer<typeof runDetail>;

/** `POST …/steps/{step_run_id}/logs`: offsets are strings in the SDK model. */
export const stepLog = z.object({
  log: z.string().nullish(),
  has_more: z.boolean().nullish(),
  end_offset: z.union([z.string(), z.number()]).nullish(),
});

/** IAM `POST /v3/auth/tokens`: the token itself is the `X-Subject-Token` header. */
export const iamTokenBody = z.object({
  token: z.object({
    expires_at: z.string().refine((value) => !Number.isNaN(Date.parse(value)), "not a date"),
  }),
});
