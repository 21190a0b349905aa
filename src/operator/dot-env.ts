import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

export interface DotEnvResult {
  /** Names `.env` set. */
  loaded: string[];
  /** Names whose value in the environment `.env` replaced with a different one. */
  overridden: string[];
}

/**
 * Applies `<cwd>/.env` to `env` exactly as Probot does before it starts an app (its applyEnv: node's parseEnv,
 * then every name assigned over the environment): `.env` wins. Every pipeline-relay command reads it this way,
 * so the CLI sees what the app sees. A missing file changes nothing.
 */
export function applyDotEnv(env: NodeJS.ProcessEnv, cwd: string, read: (path: string) => string = (path) => readFileSync(path, "utf8")): DotEnvResult {
  let text: string;
  try {
    text = read(join(cwd, ".env"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { loaded: [], overridden: [] };
    throw error;
  }
  const parsed = parseEnv(text) as Record<string, string>;
  const overridden = Object.keys(parsed).filter((name) => env[name] !== undefined && env[name] !== parsed[name]).sort();
  Object.assign(env, parsed);
  return { loaded: Object.keys(parsed), overridden };
}

/** One warning line per overridden name; values are never printed (they may be credentials). */
export function overrideWarnings(result: DotEnvResult): string[] {
  return result.overridden.map((name) => `pipeline-relay: ${name} from .env replaces the value set in the environment (.env wins); remove it from .env to use the environment's`);
}
