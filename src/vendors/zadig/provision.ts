import type { z } from "zod";
import { VendorError } from "../../errors.js";
import { formatZodIssues } from "../../zod-issues.js";
import type { ProvisionOptions, ProvisionResult, VendorDeps } from "../types.js";
import { withErrorEnvelope } from "../envelope.js";
import { createZadigHttp } from "./adapter.js";
import { pipelineV1Body, pipelineV2Body, workflowBody, type ZadigDefinition } from "./definition-schema.js";
import { zadigEnvelope } from "./errors.js";
import { acknowledgement } from "./flavour.js";
import { zadigTarget, type ZadigConnection, type ZadigTarget } from "./schema.js";

/** Zadig's "already exists" (seed 003: 新建或更新wokflow失败 … 已经存在). */
const ALREADY_EXISTS = "6540";

export interface ProvisionRequest {
  /** What it creates, for the operator: `pipeline V2 "test-pipeline"`. */
  what: string;
  path: string;
  body: unknown;
}

/**
 * The create request a definition stands for, checked with zod before anything is sent.
 * Throws an Error naming the first problems when the body is not what the vendor documents.
 */
export function provisionRequest(target: ZadigTarget, connection: Pick<ZadigConnection, "pipelines_prefix">): ProvisionRequest | null {
  const definition = target.definition;
  if (!definition) return null;
  const { type: _type, ...fields } = definition;
  switch (definition.type) {
    case "pipeline-v1":
      return {
        what: `pipeline V1 "${target.pipeline}"`,
        path: `${connection.pipelines_prefix}/pipelines`,
        body: checked(pipelineV1Body, { pipeline_name: target.pipeline, ...fields }),
      };
    case "pipeline-v2":
      return {
        what: `pipeline V2 "${target.pipeline}"`,
        path: `${connection.pipelines_prefix}/v2/pipelines`,
        body: checked(pipelineV2Body, { name: target.pipeline, ...fields }),
      };
    case "workflow":
      return {
        what: `workflow "${target.workflow}" in project "${target.project}"`,
        path: "/api/aslan/workflow/workflow",
        body: checked(workflowBody, { name: target.workflow, product_tmpl_name: target.project, ...withStageKeys(definition) }),
      };
  }
}

function withStageKeys(definition: Extract<ZadigDefinition, { type: "workflow" }>) {
  const { type: _type, ...fields } = definition;
  // The seed's modules carry `key: "<service>/<module>"`; filled in when the definition leaves it out.
  const keyed = (modules: typeof definition.build_stage.modules) =>
    modules.map(({ target }) => ({ target: { ...target, key: target.key ?? `${target.service_name}/${target.service_module}` } }));
  return {
    ...fields,
    build_stage: { ...fields.build_stage, modules: keyed(fields.build_stage.modules) },
    artifact_stage: { ...fields.artifact_stage, modules: keyed(fields.artifact_stage.modules) },
  };
}

function checked<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new Error(`the definition does not make a valid request body: ${formatZodIssues(result.error)}`);
  return result.data;
}

/** `pipeline-relay provision` for a zadig pipeline: one create call, or the body it would send. */
export async function provisionZadig(deps: VendorDeps<ZadigConnection>, rawTarget: ZadigTarget, options: ProvisionOptions): Promise<ProvisionResult> {
  const parsed = zadigTarget.safeParse(rawTarget);
  if (!parsed.success) throw new Error(`the zadig block is invalid: ${formatZodIssues(parsed.error)}`);
  const request = provisionRequest(parsed.data, deps.connection);
  if (!request) return { outcome: "skipped", message: "no `definition:` in the zadig block" };

  if (options.dryRun) {
    const url = `${deps.connection.url.replace(/\/+$/, "")}${request.path}`;
    options.print(`POST ${url}\n${JSON.stringify(request.body, null, 2)}`);
    return { outcome: "dry-run", message: `would create ${request.what}` };
  }

  try {
    const http = withErrorEnvelope(createZadigHttp(deps), zadigEnvelope, (text) => deps.masker.mask(text));
    await http.request("provision", { method: "POST", path: request.path, json: request.body, schema: acknowledgement, action: `create ${request.what}` });
  } catch (error) {
    if (error instanceof VendorError && error.vendorCode === ALREADY_EXISTS) {
      return { outcome: "exists", message: `${request.what} already exists on Zadig` };
    }
    throw error;
  }
  return { outcome: "created", message: `created ${request.what}` };
}
