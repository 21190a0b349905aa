/** A command from a PR comment. `pipeline` is the optional argument naming one pipeline. */
export type Command = { name: "retry"; pipeline?: string } | { name: "cancel"; pipeline?: string };

export interface ParsedComment {
  commands: Command[];
  /** Our commands written wrongly, e.g. `/retry a b`; each gets a reply. */
  malformed: Array<{ line: string; problem: string }>;
}

const COMMAND_LINE = /^\/([a-z][a-z0-9-]*)(?:[ \t]+(.*))?$/i;
const OUR_COMMANDS = new Set(["retry", "cancel"]);

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
    if (!OUR_COMMANDS.has(name)) continue;
    const args = (match[2] ?? "").trim().split(/\s+/).filter(Boolean);
    if (args.length > 1) {
      result.malformed.push({ line, problem: `\`/${name}\` takes at most one pipeline name` });
      continue;
    }
    result.commands.push({ name: name as Command["name"], pipeline: args[0] });
  }
  return result;
}
