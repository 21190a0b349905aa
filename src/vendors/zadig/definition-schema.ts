import { z } from "zod";

/*
 * The `definition:` block of a zadig pipeline: what `pipeline-relay provision` creates.
 * Field names are the vendor's own (seed 000 for pipeline V1/V2, seed 003 for v1.7 workflows),
 * so a definition reads like the vendor's documentation. Names come from the vendor block
 * (`pipeline`, `workflow`, `project`), so the relay always runs what it created.
 */

const text = z.string().min(1);
const percent = z.number().min(0).max(100);
const seconds = z.number().int().positive();

const pipelineV1 = z.strictObject({
  type: z.literal("pipeline-v1"),
  stack_name: text.optional(),
  service_name: text.optional(),
  test_stack: text.optional(),
  test_service: text.optional(),
  /** Minimum pass rate in percent; 0 (the seed's example) means no threshold. */
  test_threshold: percent.default(0),
  deploy_env: text.optional(),
  repo_owner: text,
  repo_name: text,
  run_build: z.boolean().default(true),
  run_deploy: z.boolean().default(false),
  run_deploy_cs: z.boolean().default(false),
  run_test: z.boolean().default(false),
  run_distribute: z.boolean().default(false),
  enabled: z.boolean().default(true),
});

const buildSubTask = z.strictObject({
  type: z.literal("build"),
  repo_owner: text,
  repo_name: text,
  branch: text,
  pull_request_id: z.number().int().positive().optional(),
  commit_id: text.optional(),
  commit_message: text.optional(),
  image: text.optional(),
  package_file: text.optional(),
  timeout: seconds.optional(),
});

const placement = { product_name: text, group_name: text, service_name: text, container_name: text };

const subTask = z.discriminatedUnion("type", [
  buildSubTask,
  z.strictObject({ type: z.literal("deploy"), ...placement, image: text.optional(), package_file: text.optional(), timeout: seconds.optional() }),
  z.strictObject({
    type: z.literal("testing"),
    ...placement,
    /** Minimum pass rate in percent, used when the repository config sets none. */
    threshold: percent.optional(),
    command: text,
    result_path: text,
    timeout: seconds.optional(),
  }),
  z.strictObject({ type: z.literal("distribute"), dist_host: text, timeout: seconds.optional() }),
  z.strictObject({ type: z.literal("jira"), timeout: seconds.optional() }),
]);

const pipelineV2 = z.strictObject({
  type: z.literal("pipeline-v2"),
  description: z.string().default(""),
  enabled: z.boolean().default(true),
  /** Cron with seconds, as in the seed (`*\/10 * * * * *`). */
  schedule: text.optional(),
  sub_tasks: z.array(subTask).min(1),
});

const stageModule = z.strictObject({
  target: z.strictObject({ product_name: text, service_name: text, service_module: text, key: text.optional() }),
});

const workflow = z.strictObject({
  type: z.literal("workflow"),
  enabled: z.boolean().default(true),
  team: z.string().default(""),
  description: z.string().default(""),
  env_name: text,
  notify_ctl: z
    .strictObject({
      enabled: z.boolean().default(false),
      webhook_type: text.optional(),
      weChat_webHook: z.string().optional(),
      dingding_webhook: z.string().optional(),
      feishu_webhook: z.string().optional(),
      notify_type: z.array(text).default([]),
    })
    .default({ enabled: false, notify_type: [] }),
  build_stage: z.strictObject({ enabled: z.boolean().default(true), modules: z.array(stageModule).min(1) }),
  artifact_stage: z
    .strictObject({ enabled: z.boolean().default(false), modules: z.array(stageModule).default([]) })
    .default({ enabled: false, modules: [] }),
});

export const zadigDefinition = z.discriminatedUnion("type", [pipelineV1, pipelineV2, workflow]);
export type ZadigDefinition = z.infer<typeof zadigDefinition>;

/** The bodies as sent, checked once more right before sending (the names are filled in by then). */
export const pipelineV1Body = pipelineV1.omit({ type: true }).extend({ pipeline_name: text });
export const pipelineV2Body = pipelineV2.omit({ type: true }).extend({ name: text });
export const workflowBody = workflow.omit({ type: true }).extend({ name: text, product_tmpl_name: text });

/**
 * The vendor's own pass-rate threshold: V1 `test_threshold`, or the strictest V2 testing `threshold`.
 * 0 is the seed's "no threshold" value.
 */
export function definitionThreshold(definition: ZadigDefinition | undefined): number | undefined {
  if (definition?.type === "pipeline-v1") return definition.test_threshold > 0 ? definition.test_threshold : undefined;
  if (definition?.type !== "pipeline-v2") return undefined;
  const thresholds = definition.sub_tasks.flatMap((task) => (task.type === "testing" && task.threshold ? [task.threshold] : []));
  return thresholds.length > 0 ? Math.max(...thresholds) : undefined;
}
