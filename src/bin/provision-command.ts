import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import type { Logger } from "probot";
import { parse as parseYaml } from "yaml";
import { parseRepoConfig } from "../config/load-repo-config.js";
import { loadOperatorConfig, type OperatorConfig } from "../config/operator-config.js";
import { REPO_CONFIG_PATH, targetOf, type RepoConfig } from "../config/repo-config.js";
import { ConfigError, errorMessage, OperatorConfigError } from "../errors.js";
import type { HttpClientSettings } from "../vendors/http.js";
import { createVendorDeps } from "../runs/vendor-deps.js";

export const PROVISION_USAGE = `Usage: pipeline-relay provision --repo <owner/name> [--config <pipelines.yml>] [--dry-run]

Creates on each vendor the pipelines that the repository config describes in a \`definition:\` block.
  --repo      the GitHub repository the config belongs to (checked against each connection's repositories)
  --config    path to the repository config (default ${REPO_CONFIG_PATH})
  --dry-run   print the request bodies instead of sending them
The operator config is read from RELAY_CONFIG (default relay.yml).`;

export interface CliIo {
  env: NodeJS.ProcessEnv;
  /** Where relative paths start. */
  cwd: string;
  out(line: string): void;
  err(line: string): void;
  /** Vendor clients log here; the default writes warnings to stderr. */
  log?: Logger;
  retry?: HttpClientSettings["retry"];
}

/** Exit codes: 0 done, 1 a vendor call failed, 2 bad usage or configuration. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    io.out(PROVISION_USAGE);
    return 0;
  }
  if (command !== "provision") {
    io.err(`${command ? `unknown command "${command}"` : "no command given"}\n\n${PROVISION_USAGE}`);
    return 2;
  }
  let args: { repo?: string; config?: string; "dry-run"?: boolean; help?: boolean };
  try {
    args = parseArgs({
      args: [...rest],
      options: { repo: { type: "string" }, config: { type: "string" }, "dry-run": { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }).values;
  } catch (error) {
    io.err(`${errorMessage(error)}\n\n${PROVISION_USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(PROVISION_USAGE);
    return 0;
  }
  if (!args.repo || !/^[^/\s]+\/[^/\s]+$/.test(args.repo)) {
    io.err(`--repo owner/name is required\n\n${PROVISION_USAGE}`);
    return 2;
  }
  return provision({ repo: args.repo, configPath: resolve(io.cwd, args.config ?? REPO_CONFIG_PATH), dryRun: args["dry-run"] ?? false }, io);
}

interface ProvisionArgs {
  repo: string;
  configPath: string;
  dryRun: boolean;
}

async function provision(args: ProvisionArgs, io: CliIo): Promise<number> {
  const loaded = loadConfigs(args, io);
  if (!loaded) return 2;
  const { operator, config } = loaded;
  const log = io.log ?? pino({ level: "warn" }, pino.destination(2));
  let failed = 0;
  for (const pipeline of config.pipelines) {
    const { vendor, deps } = createVendorDeps(operator, pipeline.connection, log, io.retry);
    const label = `${pipeline.name} (${vendor.id})`;
    if (!vendor.provision) {
      io.out(`${label}: skipped: pipeline-relay cannot create ${vendor.displayName} pipelines`);
      continue;
    }
    try {
      const result = await vendor.provision(deps, targetOf(pipeline), { dryRun: args.dryRun, print: (text) => io.out(operator.masker.mask(text)) });
      io.out(`${label}: ${result.outcome}: ${operator.masker.mask(result.message)}`);
    } catch (error) {
      failed += 1;
      io.out(`${label}: failed: ${operator.masker.mask(errorMessage(error).replace(/\s+/g, " "))}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

/** The operator config and one repository's config, or undefined after telling the operator what is wrong. */
export function loadConfigs(args: { repo: string; configPath: string }, io: CliIo): { operator: OperatorConfig; config: RepoConfig } | undefined {
  let operator: OperatorConfig;
  try {
    operator = loadOperatorConfig(resolve(io.cwd, io.env.RELAY_CONFIG ?? "relay.yml"), io.env);
  } catch (error) {
    if (!(error instanceof OperatorConfigError)) throw error;
    io.err(`operator config: ${error.message}`);
    return undefined;
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(args.configPath, "utf8"));
  } catch (error) {
    io.err(`${args.configPath}: ${errorMessage(error)}`);
    return undefined;
  }
  try {
    return { operator, config: parseRepoConfig(raw, args.repo, operator) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`${args.configPath} is invalid:\n${error.problems.map((p) => `  ${p.path || "(root)"}: ${p.problem}`).join("\n")}`);
    return undefined;
  }
}

