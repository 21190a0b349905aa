import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { OperatorConfigError } from "../errors.js";
import { SecretMasker } from "../secrets.js";
import { engineSettings, type EngineSettings } from "../engine/settings.js";
import { deliverySettings, type DeliverySettings } from "../github/app-deliveries.js";
import { installationClientSettingsSchema, type InstallationClientSettings } from "../github/installation-client.js";
import { VENDORS } from "../vendors/registry.js";
import type { CommonConnection } from "../vendors/types.js";
import { commandAllowlists } from "./repo-config.js";
import { rawDocumentProblems, resolveEnvCollecting, zodIssueProblems } from "./operator-config-problems.js";

const commonConnectionFields = {
  /** Repositories (`owner/name` globs) allowed to use this connection. */
  repositories: z.array(z.string().min(1)).min(1),
  rate_limit: z
    .strictObject({
      max_concurrent: z.number().int().positive().default(4),
      per_second: z.number().positive().default(10),
    })
    .default({ max_concurrent: 4, per_second: 10 }),
  timeout_seconds: z.number().positive().max(300).default(30),
  /** Re-send a trigger whose outcome is unknown although the vendor cannot be searched for it (may start a second run). */
  retrigger_unconfirmed: z.boolean().default(false),
  /** Restricts who may run each command on pipelines of this connection. */
  commands: commandAllowlists,
};

function connectionSchema() {
  const variants = Object.values(VENDORS).map((vendor) =>
    z.strictObject({ vendor: z.literal(vendor.id), ...commonConnectionFields, ...vendor.connectionSchema.shape }),
  );
  return z.discriminatedUnion("vendor", variants as unknown as [z.ZodObject, ...z.ZodObject[]]);
}

export const trackerSettings = z
  .strictObject({
    poll_initial_seconds: z.number().positive().default(5),
    poll_max_seconds: z.number().positive().default(60),
    default_timeout_minutes: z.number().positive().default(60),
    /** How often the worker looks for stored events and due polls. */
    tick_seconds: z.number().positive().default(1),
    /** How long a repository's `.github/pipelines.yml` is reused; a push to its default branch refreshes it. */
    config_cache_seconds: z.number().nonnegative().default(300),
  })
  .default({ poll_initial_seconds: 5, poll_max_seconds: 60, default_timeout_minutes: 60, tick_seconds: 1, config_cache_seconds: 300 });
export type TrackerSettings = z.infer<typeof trackerSettings>;

export const resultsSettings = z
  .strictObject({
    /** The address pipelines reach pipeline-relay at (https://relay.example.com); without it no upload URL is handed out. */
    public_url: z.url({ protocol: /^https?$/ }).optional(),
    /** Uploads above this size are refused with 413. */
    max_upload_mb: z.number().positive().max(200).default(20),
    /** A run's upload token stays valid this long after the run ended (late uploads, retried jobs). */
    token_grace_minutes: z.number().nonnegative().default(60),
    /** A finished run with a threshold and no vendor report waits this long for an upload. */
    wait_minutes: z.number().nonnegative().default(10),
  })
  .default({ max_upload_mb: 20, token_grace_minutes: 60, wait_minutes: 10 });
export type ResultsSettings = z.infer<typeof resultsSettings>;

function operatorConfigSchema() {
  return z.strictObject({
    connections: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, "connection names use letters, digits, . _ -"), connectionSchema()),
    tracker: trackerSettings,
    results: resultsSettings,
    engine: engineSettings,
    /** GitHub calls: deadline per request, installation clients kept. */
    github: installationClientSettingsSchema.strict().default({ request_timeout_seconds: 20, max_cached_installations: 1000 }),
    /** PR authors trusted in every repository, e.g. `dependabot[bot]`. */
    trusted_authors: z.array(z.string().min(1)).default([]),
    /** Missed webhook deliveries: how often to look for them and how far back. */
    deliveries: deliverySettings,
  });
}

export type Connection = CommonConnection & Record<string, unknown>;
export interface OperatorConfig {
  connections: Record<string, Connection>;
  tracker: TrackerSettings;
  results: ResultsSettings;
  engine: EngineSettings;
  github: InstallationClientSettings;
  trusted_authors: string[];
  deliveries: DeliverySettings;
  /** Every credential the file references, for masking. */
  masker: SecretMasker;
}

/** Reads, resolves and validates the operator config; any problem is one OperatorConfigError. */
export function loadOperatorConfig(file: string, env: NodeJS.ProcessEnv = process.env): OperatorConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new OperatorConfigError(file, "", "file not found: create it (see relay.example.yml) or point RELAY_CONFIG at it");
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new OperatorConfigError(file, "", `not valid YAML: ${(error as Error).message}`);
  }
  return parseOperatorConfig(raw, file, env);
}

export function parseOperatorConfig(raw: unknown, file: string, env: NodeJS.ProcessEnv): OperatorConfig {
  const problems = rawDocumentProblems(raw);
  if (problems.some((p) => p.path === "" || p.path === "connections")) throw OperatorConfigError.of(file, problems);
  const resolved = resolveEnvCollecting(raw, env, problems);
  // Connections with an unknown vendor were reported above; the schema would only repeat it less clearly.
  const badVendor = new Set(problems.filter((p) => p.path.endsWith(".vendor")).map((p) => p.path.split(".")[1]));
  const checked = withoutConnections(resolved, badVendor);
  const reported = new Set(problems.map((p) => p.path));
  const result = operatorConfigSchema().safeParse(checked);
  if (!result.success) problems.push(...zodIssueProblems(result.error.issues, raw, resolved).filter((p) => !reported.has(p.path)));
  // Vendor-specific rules for every connection that passed the schema, whatever the others did.
  const connections = (checked as { connections: Record<string, unknown> }).connections;
  for (const [name, connection] of Object.entries(connections)) {
    const parsed = connectionSchema().safeParse(connection);
    if (!parsed.success || reported.has(`connections.${name}`)) continue;
    const vendor = VENDORS[(parsed.data as Connection).vendor]!;
    for (const problem of vendor.validateConnection?.(parsed.data as Connection) ?? []) problems.push({ path: `connections.${name}`, problem });
  }
  if (problems.length > 0 || !result.success) throw OperatorConfigError.of(file, problems);
  const config = result.data as Omit<OperatorConfig, "masker">;
  const masker = new SecretMasker();
  for (const connection of Object.values(config.connections)) {
    for (const field of VENDORS[connection.vendor]!.secretFields) masker.add(connection[field] as string | undefined);
  }
  return { ...config, masker };
}

function withoutConnections(document: unknown, names: ReadonlySet<string | undefined>): unknown {
  const { connections, ...rest } = document as { connections: Record<string, unknown> };
  return { ...rest, connections: Object.fromEntries(Object.entries(connections).filter(([name]) => !names.has(name))) };
}
