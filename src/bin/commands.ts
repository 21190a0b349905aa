import { EXPLAIN_USAGE, runExplain, runValidate, VALIDATE_USAGE } from "./inspect-commands.js";
import { PROVISION_USAGE, runCli as runProvision, type CliIo } from "./provision-command.js";
import { HOOKS_USAGE, runHooks } from "./hooks-command.js";

export const USAGE = `Usage: pipeline-relay <command> [options]

Commands:
  validate [path]   check a .github/pipelines.yml (line and column for every problem)
  explain [path]    show which pipelines an event would run or skip, and why
  provision         create the pipelines a config describes on the vendor (Zadig)
  hooks             set up vendor notifications (a GitLab webhook) for a config's pipelines
  help <command>    show a command's options

The environment is read as the app reads it: .env in the working directory wins over the shell.`;

const COMMANDS: Record<string, { usage: string; run: (argv: readonly string[], io: CliIo) => Promise<number> }> = {
  validate: { usage: VALIDATE_USAGE, run: runValidate },
  explain: { usage: EXPLAIN_USAGE, run: runExplain },
  provision: { usage: PROVISION_USAGE, run: (argv, io) => runProvision(["provision", ...argv], io) },
  hooks: { usage: HOOKS_USAGE, run: runHooks },
};

/** Every `pipeline-relay` command; exit status as each command documents (2: bad usage). */
export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" && rest[0] ? COMMANDS[rest[0]] : undefined;
    io.out(topic ? topic.usage : USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  return command.run(rest, io);
}
