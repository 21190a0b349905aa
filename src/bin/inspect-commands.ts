import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadOperatorConfig, type OperatorConfig } from "../config/operator-config.js";
import { REPO_CONFIG_PATH, type RepoConfig } from "../config/repo-config.js";
import { errorMessage, OperatorConfigError } from "../errors.js";
import { eventFromFlags, eventFromPayload, EventInputError, type EventFlags } from "./event-input.js";
import { explainEvent, renderExplanation } from "./explain.js";
import { checkRepoConfigText } from "./locate-problems.js";
import type { CliIo } from "./provision-command.js";

export const VALIDATE_USAGE = `Usage: pipeline-relay validate [path] [--operator relay.yml] [--repo owner/name]

Checks a repository config (default ${REPO_CONFIG_PATH}) as the app does, with no tokens and no network, and
prints every problem as file:line:column. With --operator, also checks the connections each pipeline names
(and, with --repo, that they allow the repository). Exit status: 0 valid, 1 problems, 2 bad usage.`;

export const EXPLAIN_USAGE = `Usage: pipeline-relay explain [path] (--event push --ref <ref> | --event pull_request --base <branch> | --payload <file.json>)
                              [--paths a,b] [--message <commit message>] [--operator relay.yml] [--repo owner/name]
                              [--action opened] [--head <branch>] [--labels a,b] [--draft] [--fork] [--author <login>] [--bot]

Prints which pipelines the event would run, which it would skip and why (branches, paths, labels, drafts,
skip markers, trust), and the variables each run would receive. Same matching code as the app; no network.`;

const EVENT_OPTIONS = {
  event: { type: "string" }, ref: { type: "string" }, paths: { type: "string" }, message: { type: "string" }, sha: { type: "string" },
  repo: { type: "string" }, action: { type: "string" }, base: { type: "string" }, head: { type: "string" }, labels: { type: "string" },
  author: { type: "string" }, number: { type: "string" }, draft: { type: "boolean" }, fork: { type: "boolean" }, bot: { type: "boolean" },
  payload: { type: "string" }, operator: { type: "string" }, help: { type: "boolean", short: "h" },
} as const;

/** `validate`: exit 0 valid, 1 problems, 2 bad usage or unreadable input. */
export async function runValidate(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parse(argv, { operator: { type: "string" }, repo: { type: "string" }, help: { type: "boolean", short: "h" } }, VALIDATE_USAGE, io);
  if (typeof args === "number") return args;
  const loaded = loadChecked(args.positionals[0], args.values.operator, args.values.repo, io);
  if (typeof loaded === "number") return loaded;
  io.out(`${loaded.display}: valid (${loaded.config.pipelines.length} pipeline${loaded.config.pipelines.length === 1 ? "" : "s"}: ${loaded.config.pipelines.map((p) => p.name).join(", ")})`);
  return 0;
}

/** `explain`: exit 0 explained, 1 the config has problems, 2 bad usage or unreadable input. */
export async function runExplain(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parse(argv, EVENT_OPTIONS, EXPLAIN_USAGE, io);
  if (typeof args === "number") return args;
  const flags = args.values as EventFlags & { payload?: string; operator?: string };
  const loaded = loadChecked(args.positionals[0], flags.operator, flags.repo, io);
  if (typeof loaded === "number") return loaded;
  let input;
  try {
    input = flags.payload ? eventFromPayload(JSON.parse(readFileSync(resolve(io.cwd, flags.payload), "utf8")), flags.event, flags) : eventFromFlags(flags);
  } catch (error) {
    if (!(error instanceof EventInputError) && !(error instanceof SyntaxError) && !(error as NodeJS.ErrnoException).code) throw error;
    io.err(`${flags.payload ? `${flags.payload}: ` : ""}${errorMessage(error)}\n\n${EXPLAIN_USAGE}`);
    return 2;
  }
  const explanation = explainEvent({
    ...input,
    config: loaded.config,
    operatorTrustedAuthors: loaded.operator?.trusted_authors,
    headCommitMessage: flags.message,
  });
  for (const line of renderExplanation(explanation)) io.out(line);
  if (loaded.operator?.results.public_url) io.out("Each run also receives RELAY_RESULTS_URL and a fresh RELAY_RESULTS_TOKEN (results.public_url is set).");
  return 0;
}

type Loaded = { config: RepoConfig; operator?: OperatorConfig; display: string };

function loadChecked(path: string | undefined, operatorPath: string | undefined, repo: string | undefined, io: CliIo): Loaded | number {
  const file = resolve(io.cwd, path ?? REPO_CONFIG_PATH);
  const display = relative(io.cwd, file) || file;
  let operator: OperatorConfig | undefined;
  if (operatorPath) {
    try {
      operator = loadOperatorConfig(resolve(io.cwd, operatorPath), offlineEnv(resolve(io.cwd, operatorPath), io.env));
    } catch (error) {
      if (!(error instanceof OperatorConfigError)) throw error;
      for (const line of error.message.split("\n")) io.err(line);
      return 1;
    }
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    io.err(`${display}: cannot be read: ${errorMessage(error)}`);
    return 2;
  }
  const check = checkRepoConfigText(text, { operator, repository: repo });
  for (const note of check.notes) io.err(`${display}: note: ${note}`);
  if (!check.ok) {
    for (const p of check.problems) io.out(`${display}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ""}${p.problem}`);
    io.out(`${check.problems.length} problem${check.problems.length === 1 ? "" : "s"} in ${display}`);
    return 1;
  }
  return { config: check.config, operator, display };
}

/**
 * The environment for checking relay.yml without its credentials: every `${NAME}` the file references and the
 * environment lacks gets a stand-in value, so only the file's own problems are reported.
 */
export function offlineEnv(file: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return env; // loadOperatorConfig reports the missing file.
  }
  const standIns = [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!).filter((name) => !env[name]);
  return { ...env, ...Object.fromEntries(standIns.map((name) => [name, "offline-stand-in"])) };
}

type Options = Parameters<typeof parseArgs>[0] extends infer C ? (C extends { options?: infer O } ? O : never) : never;

function parse<O extends NonNullable<Options>>(argv: readonly string[], options: O, usage: string, io: CliIo) {
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    if ((parsed.values as { help?: boolean }).help) {
      io.out(usage);
      return 0;
    }
    if (parsed.positionals.length > 1) throw new Error(`one config path at most, got ${parsed.positionals.join(" ")}`);
    return parsed;
  } catch (error) {
    io.err(`${errorMessage(error)}\n\n${usage}`);
    return 2;
  }
}
