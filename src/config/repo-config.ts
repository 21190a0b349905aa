import { z } from "zod";
import { VENDORS } from "../vendors/registry.js";
import { MAX_PATTERN_CHARS, MAX_PATTERNS, patternProblem } from "../reporting/log-annotations.js";

export const REPO_CONFIG_FILE = "pipelines.yml";
export const REPO_CONFIG_PATH = `.github/${REPO_CONFIG_FILE}`;

/** Pull-request actions a pipeline can fire on. */
export const PULL_REQUEST_ACTIONS = ["opened", "synchronize", "reopened", "ready_for_review", "edited", "labeled", "unlabeled"] as const;
export const DEFAULT_PULL_REQUEST_ACTIONS = ["opened", "synchronize", "reopened", "ready_for_review"] as const;

/** One glob or a list of globs. */
const globs = z.union([z.string().min(1).transform((glob) => [glob]), z.array(z.string().min(1)).min(1)]);

const pushRule = z.strictObject({
  /** Branch globs (`main`, `release/*`). Without `branches` and `tags`, every branch matches and no tag. */
  branches: globs.optional().describe("Branch globs (`main`, `release/*`). Without `branches` and `tags`, every branch matches and no tag."),
  /** Tag globs (`v*`). */
  tags: globs.optional().describe("Tag globs (`v*`); tag pushes run only with this."),
  /** Run only when a changed file matches one of these. */
  paths: globs.optional().describe("Run only when a changed file matches one of these globs."),
  /** Do not run when every changed file matches one of these. Wins over `paths`. */
  paths_ignore: globs.optional().describe("Do not run when every changed file matches one of these globs; wins over `paths`."),
});

const pullRequestRule = z.strictObject({
  /** Globs on the PR's target (base) branch. Default: every branch. */
  branches: globs.optional().describe("Globs on the pull request's target (base) branch. Default: every branch."),
  types: z
    .array(z.enum(PULL_REQUEST_ACTIONS))
    .min(1)
    .default([...DEFAULT_PULL_REQUEST_ACTIONS])
    .describe("Pull-request actions that run the pipeline. Default: opened, synchronize, reopened, ready_for_review."),
  /** Also run for draft pull requests. */
  drafts: z.boolean().default(false).describe("Also run for draft pull requests (default false)."),
  paths: globs.optional().describe("Run only when a file the pull request changes matches one of these globs."),
  paths_ignore: globs.optional().describe("Do not run when every changed file matches one of these globs; wins over `paths`."),
  /** Run only when the PR carries at least one of these labels. */
  labels: z.array(z.string().min(1)).min(1).optional().describe("Run only when the pull request carries at least one of these labels."),
  /** Do not run while the PR carries any of these labels. */
  skip_labels: z.array(z.string().min(1)).min(1).optional().describe("Do not run while the pull request carries any of these labels."),
});

const mergeGroupRule = z.strictObject({
  /** Globs on the branch the merge queue merges into. Default: the repository's default branch. */
  branches: globs.optional().describe("Globs on the branch the merge queue merges into. Default: the repository's default branch."),
});

/** Who may run a command, beyond the default of write access; see the README's "Permissions". */
export const commandAllowlist = z
  .strictObject({
    users: z.array(z.string().min(1)).default([]).describe("GitHub logins allowed to run the command."),
    /** `org/team-slug` */
    teams: z
      .array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, "teams are written org/team-slug"))
      .default([])
      .describe("GitHub teams (`org/team-slug`) whose members may run the command."),
  })
  .describe("Who may run this command, beyond people with write access.");
export type CommandAllowlist = z.infer<typeof commandAllowlist>;

export const commandAllowlists = z
  .strictObject({
    retry: commandAllowlist.optional().describe("Who may comment `/retry`."),
    cancel: commandAllowlist.optional().describe("Who may comment `/cancel`."),
    run: commandAllowlist.optional().describe("Who may comment `/run`."),
    "ok-to-test": commandAllowlist.optional().describe("Who may comment `/ok-to-test <sha>` to approve an outside contribution."),
  })
  .default({})
  .describe("Restricts who may run each command; see the README's Permissions.");
export type CommandAllowlists = z.infer<typeof commandAllowlists>;

/** A problem matcher: log lines of failed jobs that match become annotations (see the README's `annotations:`). */
const annotationPattern = z
  .strictObject({
    pattern: z
      .string()
      .min(1)
      .max(MAX_PATTERN_CHARS)
      .describe("A JavaScript regular expression with named groups `file`, `line` and `message` (optional: `title`, `level`), matched against each line of a failed job's log."),
    level: z.enum(["notice", "warning", "failure"]).optional().describe("Annotation level when the pattern has no `level` group (default `failure`)."),
    title: z.string().min(1).max(255).optional().describe("Annotation title when the pattern has no `title` group."),
    ignore_case: z.boolean().optional().describe("Match without regard to case."),
  })
  .superRefine((config, ctx) => {
    const problem = patternProblem(config);
    if (problem) ctx.addIssue({ code: "custom", path: ["pattern"], message: problem });
  });
export type AnnotationPattern = z.infer<typeof annotationPattern>;

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "variable names use letters, digits and _ and do not start with a digit");

function pipelineSchema() {
  const vendorBlocks = Object.fromEntries(
    Object.values(VENDORS).map((vendor) => [vendor.id, vendor.targetSchema.optional().describe(`The ${vendor.displayName} pipeline to run (exactly one vendor block per pipeline).`)]),
  );
  return z
    .strictObject({
      /** Unique in the repository; the GitHub check is `pipeline-relay/<name>`. */
      name: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "use 1-64 letters, digits, . _ - (starting with a letter or digit)")
        .describe("Unique in the repository; the GitHub check is `pipeline-relay/<name>`."),
      /** A connection from the operator config. */
      connection: z.string().min(1).describe("A connection from the operator's relay.yml (it holds the vendor URL and credentials)."),
      on: z
        .strictObject({
          push: pushRule.optional().describe("Run on pushes to matching branches or tags."),
          pull_request: pullRequestRule.optional().describe("Run on pull requests to matching target branches."),
          merge_group: mergeGroupRule
            .optional()
            .describe("Run for merge queue groups (`merge_group: {}`): on the group's temporary branch and head commit, so the check can be required by the queue."),
        })
        .describe("The GitHub events that run this pipeline."),
      variables: z
        .record(variableName, z.union([z.string(), z.number(), z.boolean()]).transform(String))
        .default({})
        .describe("Variables passed to every run, after which pipeline-relay adds its RELAY_* variables."),
      tests: z
        .strictObject({ threshold: z.number().min(0).max(100).describe("Minimum test pass rate in percent; below it the check fails.") })
        .optional()
        .describe("Judge the run on its test results."),
      timeout_minutes: z.number().positive().max(7 * 24 * 60).optional().describe("End the run as timed out after this long (default: the operator's tracker.default_timeout_minutes)."),
      /** Variables a `/run <name> KEY=VALUE` comment may set. */
      variables_from_comment: z.array(variableName).default([]).describe("Variables a `/run <name> KEY=VALUE` comment may set."),
      /** Report a neutral check when paths, labels or a skip marker filter the pipeline out (for required checks). */
      report_when_skipped: z.boolean().default(false).describe("Report a neutral check when paths, labels or a skip marker filter the pipeline out (for required checks)."),
      /** Cancel this pipeline's older runs on the same PR (or branch) when a new commit arrives. */
      cancel_in_progress: z.boolean().default(true).describe("Cancel this pipeline's older runs on the same pull request or branch when a new commit arrives (default true)."),
      /** At most this many runs of the pipeline at once in the repository; the rest wait in order. */
      concurrency: z.number().int().positive().optional().describe("At most this many runs of the pipeline at once in the repository; the rest wait in order."),
      annotations: z
        .array(annotationPattern)
        .min(1)
        .max(MAX_PATTERNS)
        .optional()
        .describe(`Patterns that turn lines of failed jobs' logs into check annotations (at most ${MAX_PATTERNS}).`),
      ...vendorBlocks,
    })
    .superRefine((pipeline, ctx) => {
      const blocks = Object.keys(VENDORS).filter((id) => (pipeline as Record<string, unknown>)[id] !== undefined);
      if (blocks.length !== 1) {
        ctx.addIssue({
          code: "custom",
          path: [],
          message: `needs exactly one vendor block (one of ${Object.keys(VENDORS).join(", ")}), found ${blocks.length === 0 ? "none" : blocks.join(", ")}`,
        });
      }
      for (const name of Object.keys(pipeline.variables)) {
        if (name.startsWith("RELAY_")) {
          ctx.addIssue({ code: "custom", path: ["variables", name], message: "RELAY_* variables are set by pipeline-relay and cannot be overridden" });
        }
      }
    });
}

function repoConfigSchema() {
  return z
    .strictObject({
      /** `checks` (default) or `statuses` for commit statuses. */
      report: z.enum(["checks", "statuses"]).default("checks").describe("How results appear on GitHub: `checks` (default) or commit `statuses`."),
      /** PR authors trusted like collaborators, e.g. `dependabot[bot]`, `renovate[bot]`. */
      trusted_authors: z.array(z.string().min(1)).default([]).describe("Pull-request authors trusted like collaborators, e.g. `dependabot[bot]`, `renovate[bot]`."),
      commands: commandAllowlists,
      pipelines: z.array(pipelineSchema()).min(1).describe("The pipelines this repository runs on its vendors."),
    })
    .superRefine((config, ctx) => {
      const seen = new Map<string, number>();
      config.pipelines.forEach((pipeline, index) => {
        const first = seen.get(pipeline.name.toLowerCase());
        if (first !== undefined) {
          ctx.addIssue({ code: "custom", path: ["pipelines", index, "name"], message: `"${pipeline.name}" is already used by pipelines[${first}]` });
        } else seen.set(pipeline.name.toLowerCase(), index);
      });
    });
}

let cachedSchema: ReturnType<typeof repoConfigSchema> | undefined;
export function getRepoConfigSchema() {
  cachedSchema ??= repoConfigSchema();
  return cachedSchema;
}

export type RepoConfig = z.infer<ReturnType<typeof repoConfigSchema>>;
export type PipelineConfig = RepoConfig["pipelines"][number];
export type PushRule = z.infer<typeof pushRule>;
export type PullRequestRule = z.infer<typeof pullRequestRule>;
export type MergeGroupRule = z.infer<typeof mergeGroupRule>;

/** The vendor id of a valid pipeline (the one vendor block it has). */
export function vendorOf(pipeline: PipelineConfig): string {
  return Object.keys(VENDORS).find((id) => (pipeline as Record<string, unknown>)[id] !== undefined)!;
}

export function targetOf(pipeline: PipelineConfig): unknown {
  return (pipeline as Record<string, unknown>)[vendorOf(pipeline)];
}
