import type { z } from "zod";
import type { ConfigProblem } from "../errors.js";
import { VENDOR_IDS, VENDORS } from "../vendors/registry.js";

/**
 * Pure helpers that turn everything wrong with an operator config into one problem per line, so an operator
 * fixes the file in one pass. Values are shown, except in credential fields.
 */

const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WHOLE_ENV_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

type Path = ReadonlyArray<string | number>;

export function pathText(path: Path): string {
  return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${key}` : key), "");
}

/** `"GitLab"` → `gitlab`: a vendor id that differs only in case or surrounding space. */
export function vendorHint(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const wanted = value.trim().toLowerCase();
  return VENDOR_IDS.find((id) => id === wanted && id !== value);
}

/** The vendor module for an id; own keys only, so `constructor` or `__proto__` is no vendor. */
function vendorModule(id: unknown) {
  return typeof id === "string" && Object.hasOwn(VENDORS, id) ? VENDORS[id] : undefined;
}

/** Every field that holds a credential in some vendor's connection. */
const ALL_SECRET_FIELDS = new Set(Object.values(VENDORS).flatMap((vendor) => vendor.secretFields));

/** True when the value at `path` must never be printed (a credential field of a connection). */
export function isSecretPath(path: Path, raw: unknown): boolean {
  if (path[0] !== "connections" || path.length < 3) return false;
  const connection = getAt(raw, path.slice(0, 2)) as { vendor?: unknown } | undefined;
  const vendor = vendorModule(connection?.vendor);
  const field = String(path[2]);
  return vendor ? vendor.secretFields.includes(field) : ALL_SECRET_FIELDS.has(field);
}

export function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((current, key) => (current !== null && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined), value);
}

/**
 * Resolves `${NAME}` like resolveEnvReferences, but records a problem per missing variable instead of stopping;
 * the reference text stays in place so the schema still sees a string.
 */
export function resolveEnvCollecting(value: unknown, env: NodeJS.ProcessEnv, problems: ConfigProblem[], path: Array<string | number> = []): unknown {
  if (typeof value === "string") {
    return value.replace(ENV_REFERENCE, (reference, name: string) => {
      const resolved = env[name];
      if (resolved === undefined || resolved === "") {
        problems.push({ path: pathText(path), problem: `environment variable ${name} is not set` });
        return reference;
      }
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => resolveEnvCollecting(item, env, problems, [...path, index]));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveEnvCollecting(item, env, problems, [...path, key])]));
  }
  return value;
}

/** Checks only the raw document can do: the vendor of each connection, and credentials written as literals. */
export function rawDocumentProblems(raw: unknown): ConfigProblem[] {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return [{ path: "", problem: "expected a mapping with `connections:`" }];
  const connections = (raw as { connections?: unknown }).connections;
  if (typeof connections !== "object" || connections === null || Array.isArray(connections)) {
    return [{ path: "connections", problem: "expected a mapping of connection names to connections" }];
  }
  const problems: ConfigProblem[] = [];
  for (const [name, connection] of Object.entries(connections)) {
    const vendorId = (connection as { vendor?: unknown } | null)?.vendor;
    const vendor = vendorModule(vendorId);
    if (!vendor) {
      const hint = vendorHint(vendorId);
      const misplaced = CONNECTION_FIELDS.has(name) ? `; \`${name}\` is a connection field: is it indented one level too little?` : "";
      problems.push({
        path: `connections.${name}.vendor`,
        problem: `expected one of ${VENDOR_IDS.join(", ")}, got ${describeValue(vendorId)}${hint ? `: did you mean \`${hint}\`?` : ""}${misplaced}`,
      });
      continue;
    }
    for (const field of vendor.secretFields) {
      const value = (connection as Record<string, unknown>)[field];
      if (value !== undefined && (typeof value !== "string" || !WHOLE_ENV_REFERENCE.test(value.trim()))) {
        problems.push({
          path: `connections.${name}.${field}`,
          problem: "credentials must be an environment reference like ${GITLAB_TOKEN}, never a literal value in the file",
        });
      }
    }
  }
  return problems;
}

/** Where each known key belongs, for "mis-indented" hints on unrecognized keys. */
const CONNECTION_FIELDS = new Set([
  "vendor", "repositories", "rate_limit", "timeout_seconds", "commands",
  ...Object.values(VENDORS).flatMap((vendor) => Object.keys(vendor.connectionSchema.shape)),
]);
const SECTION_FIELDS: Record<string, readonly string[]> = {
  tracker: ["poll_initial_seconds", "poll_max_seconds", "default_timeout_minutes", "tick_seconds", "config_cache_seconds"],
  results: ["public_url", "max_upload_mb", "token_grace_minutes", "wait_minutes"],
  rate_limit: ["max_concurrent", "per_second"],
  engine: ["concurrency", "per_installation", "lease_seconds", "outage_limit_minutes", "poll_failure_limit", "shutdown_seconds", "retention"],
  retention: ["runs_days", "deliveries_days"],
  github: ["request_timeout_seconds", "max_cached_installations"],
  deliveries: ["reconcile_minutes", "lookback_hours", "max_redeliveries"],
};
const TOP_LEVEL_SECTIONS = ["tracker", "results", "engine", "github", "trusted_authors", "deliveries"];

function placeHint(key: string, path: Path): string {
  if (path.length === 0 && CONNECTION_FIELDS.has(key)) return `; \`${key}\` is a connection field: indent it under a connection in \`connections:\``;
  for (const [section, fields] of Object.entries(SECTION_FIELDS)) {
    if (fields.includes(key) && path[path.length - 1] !== section) return `; \`${key}\` belongs under \`${section}:\`: check its indentation`;
  }
  if (path[0] === "connections" && path.length === 2 && TOP_LEVEL_SECTIONS.includes(key)) {
    return `; \`${key}\` is a top-level section: indent it at the left margin`;
  }
  return "";
}

/** One line per zod issue, with the offending value where it may be shown and a hint where one helps. */
export function zodIssueProblems(issues: readonly z.core.$ZodIssue[], raw: unknown, resolved: unknown): ConfigProblem[] {
  return issues.flatMap((issue) => {
    const path = issue.path as Array<string | number>;
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: pathText([...path, key]), problem: `unknown field${placeHint(key, path)}` }));
    }
    // A value built from ${NAME} is shown as written: the variable may hold a credential.
    const written = getAt(raw, path);
    const value = typeof written === "string" && written.includes("${") ? written : getAt(resolved, path);
    const shown = isSecretPath(path, raw) ? "" : value === undefined ? ", but it is missing" : `, got ${describeValue(value)}`;
    return [{ path: pathText(path), problem: `${describeIssue(issue)}${shown}` }];
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_format" && issue.format === "url") return "expected an https:// (or http://) URL";
  if (issue.code === "invalid_type") return `expected ${issue.expected}`;
  if (issue.code === "invalid_value") return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  if (issue.code === "too_small" && issue.origin === "array") return `expected at least ${issue.minimum} item${issue.minimum === 1 ? "" : "s"}`;
  if (issue.code === "too_small" && issue.origin === "string") return "expected a non-empty text";
  return issue.message.replace(/^Invalid input: /, "");
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return Array.isArray(value) ? "a list" : "a mapping";
}
