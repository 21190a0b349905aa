/** A command from a PR comment. */
export type Command =
  | { name: "retry"; pipeline?: string }
  | { name: "cancel"; pipeline?: string }
  | { name: "run"; pipeline: string; variables: Record<string, string> }
  | { name: "ok-to-test"; sha: string }
  | { name: "help" };

export type CommandName = Command["name"];
export const COMMAND_NAMES: readonly CommandName[] = ["retry", "cancel", "run", "ok-to-test", "help"];

export interface ParsedComment {
  commands: Command[];
  /** Our commands written wrongly, e.g. `/retry a b`; each gets a reply. */
  malformed: Array<{ line: string; problem: string }>;
}

const COMMAND_LINE = /^\/([a-z][a-z0-9-]*)(?:[ \t]+(.*))?$/i;
const VARIABLE = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;
const SHA = /^[0-9a-f]{7,40}$/i;

/**
 * One command per line, case-insensitive. Slash words that are not ours (`/lgtm`, `/assign`) are left
 * for other bots; quoted lines and code blocks are prose, not commands.
 */
export function parseCommands(body: string): ParsedComment {
  const result: ParsedComment = { commands: [], malformed: [] };
  let inFence = false;
  for (const rawLine of body.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.startsWith("```") || line.startsWith("~~~")) {
      inFence = !inFence;
      continue;
    }
    if (inFence || line.startsWith(">")) continue;
    const match = COMMAND_LINE.exec(line);
    if (!match) continue;
    const name = match[1]!.toLowerCase();
    if (!(COMMAND_NAMES as readonly string[]).includes(name)) continue;
    const parsed = parseArguments(name as CommandName, match[2] ?? "");
    if (typeof parsed === "string") result.malformed.push({ line, problem: parsed });
    else result.commands.push(parsed);
  }
  return result;
}

/** The command, or a problem in words. */
function parseArguments(name: CommandName, rest: string): Command | string {
  const args = splitArguments(rest);
  if (args === undefined) return "a quote is not closed";
  switch (name) {
    case "retry":
    case "cancel":
      if (args.length > 1) return `\`/${name}\` takes at most one pipeline name`;
      return { name, pipeline: args[0] };
    case "help":
      return { name };
    case "ok-to-test":
      if (args.length !== 1 || !SHA.test(args[0]!)) return "`/ok-to-test` needs the commit it approves: `/ok-to-test <sha>` (at least 7 hex characters)";
      return { name, sha: args[0]!.toLowerCase() };
    case "run": {
      const [pipeline, ...assignments] = args;
      if (!pipeline || VARIABLE.test(pipeline)) return "`/run` needs a pipeline name: `/run <name> [KEY=VALUE ...]`";
      // No prototype: `/run build __proto__=x` must set a variable named __proto__, never the object's prototype.
      const variables: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const assignment of assignments) {
        const variable = VARIABLE.exec(assignment);
        if (!variable) return `\`${assignment}\` is not KEY=VALUE`;
        Object.defineProperty(variables, variable[1]!, { value: variable[2]!, enumerable: true, writable: true, configurable: true });
      }
      return { name, pipeline, variables };
    }
  }
}

/** Splits on spaces, keeping "double" or 'single' quoted parts together (`KEY="a b"` → `KEY=a b`). */
export function splitArguments(text: string): string[] | undefined {
  const args: string[] = [];
  let current = "";
  let started = false;
  let quote: string | undefined;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) args.push(current);
      current = "";
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (quote) return undefined;
  if (started) args.push(current);
  return args;
}
