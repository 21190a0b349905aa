import { z } from "zod";
import { getRepoConfigSchema } from "./repo-config.js";

export const SCHEMA_FILE = "schema/pipelines.schema.json";
/** The app serves the same schema here (no token), for `# yaml-language-server: $schema=<public url><path>`. */
export const SCHEMA_ROUTE = "/pipeline-relay/pipelines.schema.json";

/**
 * Descriptions of the vendor blocks' fields, by path inside a pipeline. They live here rather than in each
 * vendor's schema so the schema files stay the vendors' own; the JSON Schema test fails when a field has none.
 */
export const VENDOR_FIELD_DESCRIPTIONS: Record<string, string> = {
  "gitlab.project": "Numeric GitLab project id or its full path (`group/project`).",
  "gitlab.ref": "Run this GitLab ref instead of the GitHub branch or tag (for projects that are not mirrors).",
  "yunxiao.pipeline_id": "The Flow pipeline's numeric id (from its URL).",
  "yunxiao.repository_url": "The repository URL exactly as the Flow pipeline's code source knows it. Default: the GitHub clone URL.",
  "codearts.project_id": "The CodeArts project id (32 characters), not the IAM project.",
  "codearts.pipeline_id": "The CodeArts pipeline id (from its URL).",
  "codearts.source": "The pipeline's code source, as CodeArts knows it.",
  "codearts.source.git_type": "Repository type of the code source: codehub, gitee, github, gitcode or gitlab.",
  "codearts.source.git_url": "HTTPS address of the repository; for `github` it defaults to the GitHub repository's clone URL.",
  "codearts.source.codehub_id": "CodeArts Repo id, for `codehub` sources.",
  "codearts.source.alias": "The source's alias in a pipeline with several code sources.",
  "codearts.source.endpoint_id": "CodeArts service endpoint that holds the credentials for a non-CodeArts repository.",
  "codearts.source.default_branch": "The source's default branch, when CodeArts needs it.",
  "codearts.event_type": "`build_params.event_type` of the run (default `Manual`, as for runs started by hand).",
  "zadig.project": "Zadig project (OpenAPI `project_key`, v1.7 `product_tmpl_name`, pipeline V2 `product_name`).",
  "zadig.workflow": "A custom workflow (OpenAPI) or product workflow (v1.7); needs `project`.",
  "zadig.pipeline": "A pipeline V2 of the predecessor API (instead of `workflow`).",
  "zadig.codehost": "Zadig's name for the code host holding this repository (OpenAPI `codehost_name`).",
  "zadig.codehost_id": "Zadig's id of that code host (v1.7 and pipeline V2 `codehost_id`).",
  "zadig.repository": "Only when Zadig knows the repository under another owner or name than GitHub does.",
  "zadig.repository.namespace": "The repository's owner as Zadig knows it.",
  "zadig.repository.name": "The repository's name as Zadig knows it.",
  "zadig.repository.source": "The code host type Zadig records (default `github`).",
  "zadig.jobs": "OpenAPI: the workflow's jobs that build or test the commit.",
  "zadig.jobs[].type": "The job type: zadig-build, zadig-testing or freestyle.",
  "zadig.jobs[].name": "The job's name in the workflow.",
  "zadig.jobs[].registry": "`<registry address>/<namespace>`, as Zadig lists its image registries.",
  "zadig.jobs[].services": "The services the build job builds from the commit.",
  "zadig.jobs[].services[].service_name": "The Zadig service.",
  "zadig.jobs[].services[].service_module": "The service's module (build target).",
  "zadig.jobs[].testings": "The test modules the testing job runs.",
  "zadig.env": "v1.7: the environment (namespace) the workflow deploys to.",
  "zadig.services": "v1.7: the services whose builds receive the commit.",
  "zadig.services[].service_name": "The Zadig service.",
  "zadig.services[].service_module": "The service's module (build target).",
  "zadig.tests": "v1.7: test modules that run against the commit.",
  "zadig.definition": "What `pipeline-relay provision` creates on Zadig: Zadig's own request fields, see docs/vendors/zadig.md.",
};

/**
 * Paths (inside a pipeline) whose fields are a vendor's own request body, passed through as written and
 * documented by the vendor: they are not described field by field.
 */
export const VENDOR_NATIVE_SUBTREES = ["zadig.definition"];

type JsonNode = { [key: string]: unknown };

/** The JSON Schema of `.github/pipelines.yml`: what a person writes (zod's input side), for editors. */
export function repoConfigJsonSchema(): JsonNode {
  const generated = z.toJSONSchema(getRepoConfigSchema(), { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as JsonNode;
  const pipeline = ((generated.properties as JsonNode).pipelines as JsonNode).items as JsonNode;
  forEachProperty(pipeline, "", (path, node) => {
    const description = VENDOR_FIELD_DESCRIPTIONS[path];
    if (description && node.description === undefined) node.description = description;
  });
  return {
    $schema: generated.$schema,
    title: "pipeline-relay repository config (.github/pipelines.yml)",
    description: "Which pipelines pipeline-relay runs for this repository, on which events, and on which vendor. Generated from the zod schema by `npm run schema`.",
    ...Object.fromEntries(Object.entries(generated).filter(([key]) => key !== "$schema")),
  };
}

/**
 * Visits every property schema under `node` with its path (`gitlab.project`, `zadig.jobs[].name`), through
 * objects, arrays, unions and intersections.
 */
export function forEachProperty(node: unknown, path: string, visit: (path: string, node: JsonNode) => void): void {
  if (typeof node !== "object" || node === null) return;
  const schema = node as JsonNode;
  for (const [key, child] of Object.entries((schema.properties as Record<string, JsonNode> | undefined) ?? {})) {
    const childPath = path ? `${path}.${key}` : key;
    visit(childPath, child);
    forEachProperty(child, childPath, visit);
  }
  if (schema.items) forEachProperty(schema.items, `${path}[]`, visit);
  if (typeof schema.additionalProperties === "object") forEachProperty(schema.additionalProperties, `${path}.*`, visit);
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    for (const branch of (schema[key] as unknown[] | undefined) ?? []) forEachProperty(branch, path, visit);
  }
}

export function renderSchemaFile(): string {
  return `${JSON.stringify(repoConfigJsonSchema(), null, 2)}\n`;
}
