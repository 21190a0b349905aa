import { OperatorConfigError } from "../errors.js";

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` in every string of the document with the environment's value.
 * A missing variable names the field that needed it.
 */
export function resolveEnvReferences(value: unknown, env: NodeJS.ProcessEnv, file: string, path: string[] = []): unknown {
  if (typeof value === "string") {
    return value.replace(REFERENCE, (_match, name: string) => {
      const resolved = env[name];
      if (resolved === undefined || resolved === "") {
        throw new OperatorConfigError(file, path.join("."), `environment variable ${name} is not set`);
      }
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => resolveEnvReferences(item, env, file, [...path, String(index)]));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveEnvReferences(item, env, file, [...path, key])]),
    );
  }
  return value;
}
