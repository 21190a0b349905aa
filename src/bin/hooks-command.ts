import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { callbacksOf } from "../callbacks/callback-settings.js";
import { REPO_CONFIG_PATH, targetOf } from "../config/repo-config.js";
import { errorMessage } from "../errors.js";
import { createVendorDeps } from "../runs/vendor-deps.js";
import { loadConfigs, type CliIo } from "./provision-command.js";

export const HOOKS_USAGE = `Usage: pipeline-relay hooks --repo <owner/name> --url <public base URL> [--config <pipelines.yml>] [--dry-run]

Sets up the vendor notifications (callbacks) for the pipelines of a repository config, on connections with a
callback_token: a GitLab project webhook with Pipeline events is created, or updated when one with the same URL
exists; for other vendors the manual steps are printed.
  --repo      the GitHub repository the config belongs to
  --url       where the vendor reaches pipeline-relay, e.g. https://relay.example.com
  --config    path to the repository config (default ${REPO_CONFIG_PATH})
  --dry-run   print the requests instead of sending them
The operator config is read from RELAY_CONFIG (default relay.yml). Exit codes: 0 done, 1 a vendor call failed, 2 bad usage.`;

/** The callback URL of one connection under the app's public base URL. */
export function callbackUrl(base: string, vendor: string, connection: string): string {
  return `${base.replace(/\/+$/, "")}/pipeline-relay/callbacks/${encodeURIComponent(vendor)}/${encodeURIComponent(connection)}`;
}

export async function runHooks(argv: readonly string[], io: CliIo): Promise<number> {
  let args: { repo?: string; url?: string; config?: string; "dry-run"?: boolean };
  try {
    args = parseArgs({
      args: [...argv],
      options: { repo: { type: "string" }, url: { type: "string" }, config: { type: "string" }, "dry-run": { type: "boolean" } },
      strict: true,
    }).values;
  } catch (error) {
    io.err(`${errorMessage(error)}\n\n${HOOKS_USAGE}`);
    return 2;
  }
  if (!args.repo || !/^[^/\s]+\/[^/\s]+$/.test(args.repo)) {
    io.err(`--repo owner/name is required\n\n${HOOKS_USAGE}`);
    return 2;
  }
  if (!args.url || !isHttpUrl(args.url)) {
    io.err(`--url must be the http(s) address the vendor reaches pipeline-relay at\n\n${HOOKS_USAGE}`);
    return 2;
  }
  const loaded = loadConfigs({ repo: args.repo, configPath: resolve(io.cwd, args.config ?? REPO_CONFIG_PATH) }, io);
  if (!loaded) return 2;
  const { operator, config } = loaded;
  const log = io.log ?? pino({ level: "warn" }, pino.destination(2));
  const mask = (text: string) => operator.masker.mask(text);
  const done = new Set<string>();
  let failed = 0;
  for (const pipeline of config.pipelines) {
    const connection = operator.connections[pipeline.connection]!;
    const callbacks = callbacksOf(connection);
    if (!callbacks) {
      io.out(`${pipeline.name}: skipped: connection ${pipeline.connection} has no callback_token (or its vendor cannot notify)`);
      continue;
    }
    const target = targetOf(pipeline);
    const scope = `${pipeline.connection} ${callbacks.hookScope(target)}`;
    if (done.has(scope)) continue;
    done.add(scope);
    const url = callbackUrl(args.url, connection.vendor, pipeline.connection);
    if (!callbacks.ensureHook) {
      io.out(`${pipeline.name}: by hand: ${callbacks.manualSetup(url)}`);
      continue;
    }
    try {
      const { deps } = createVendorDeps(operator, pipeline.connection, log, io.retry);
      const result = await callbacks.ensureHook(deps, target, { url, token: callbacks.token, dryRun: args["dry-run"] ?? false, print: (line) => io.out(mask(line)) });
      io.out(`${pipeline.name}: ${result.outcome}: ${mask(result.message)}`);
    } catch (error) {
      failed += 1;
      io.out(`${pipeline.name}: failed: ${mask(errorMessage(error).replace(/\s+/g, " "))}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "https:" || url.protocol === "http:") && url.search === "" && url.hash === "";
  } catch {
    return false;
  }
}
