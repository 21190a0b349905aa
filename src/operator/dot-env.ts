import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

export interface DotEnvResult {
  /** Names `.env` set because the environment lacked them. */
  loaded: string[];
  /** Names `.env` also sets that the environment already had: the environment's value is kept. */
  ignored: string[];
}

/**
 * Applies `<cwd>/.env` to `env` as `npm start` does (src/bin/serve.ts, node's process.loadEnvFile): a variable
 * already in the environment (even empty) is kept, `.env` only fills in the others. Every pipeline-relay command
 * reads it this way, so the CLI sees what the app sees. A missing file changes nothing.
 */
export function applyDotEnv(env: NodeJS.ProcessEnv, cwd: string, read: (path: string) => string = (path) => readFileSync(path, "utf8")): DotEnvResult {
  let text: string;
  try {
    text = read(join(cwd, ".env"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { loaded: [], ignored: [] };
    throw error;
  }
  const parsed = parseEnv(text) as Record<string, string>;
  const names = Object.keys(parsed).sort();
  const ignored = names.filter((name) => env[name] !== undefined);
  const loaded = names.filter((name) => env[name] === undefined);
  for (const name of loaded) env[name] = parsed[name];
  return { loaded, ignored };
}
