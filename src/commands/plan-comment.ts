import { firstLinesWithin, fitComment, GITHUB_LIMITS } from "../reporting/github-limits.js";
import type { Command, ParsedComment } from "./parse-commands.js";

/** Different commands carried out per comment; a comment is a request, not a batch job. */
export const MAX_COMMANDS_PER_COMMENT = 10;

export type ActionCommand = Exclude<Command, { name: "help" }>;

export interface CommentPlan {
  /** `/help` was asked at least once: one help text in the reply. */
  help: boolean;
  /** Distinct commands, in the order first written, at most MAX_COMMANDS_PER_COMMENT. */
  commands: ActionCommand[];
  /** Distinct commands beyond the limit: not carried out, counted in the reply. */
  notCarriedOut: number;
  /** Distinct malformed lines with their problem. */
  malformed: Array<{ line: string; problem: string }>;
}

/** Pure: what one comment asks for, each command once however often it is written. */
export function planComment(parsed: ParsedComment): CommentPlan {
  const seen = new Set<string>();
  const distinct: ActionCommand[] = [];
  let help = false;
  for (const command of parsed.commands) {
    if (command.name === "help") {
      help = true;
      continue;
    }
    const key = commandKey(command);
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push(command);
  }
  const malformedLines = new Map<string, string>();
  for (const { line, problem } of parsed.malformed) if (!malformedLines.has(line)) malformedLines.set(line, problem);
  return {
    help,
    commands: distinct.slice(0, MAX_COMMANDS_PER_COMMENT),
    notCarriedOut: Math.max(0, distinct.length - MAX_COMMANDS_PER_COMMENT),
    malformed: [...malformedLines].map(([line, problem]) => ({ line, problem })),
  };
}

/** Commands that do the same thing have the same key: `/retry Build` and `/retry build` are one. */
export function commandKey(command: ActionCommand): string {
  switch (command.name) {
    case "retry":
    case "cancel":
      return `${command.name} ${command.pipeline?.toLowerCase() ?? ""}`;
    case "ok-to-test":
      return `${command.name} ${command.sha}`;
    case "run":
      return `${command.name} ${command.pipeline.toLowerCase()} ${JSON.stringify(Object.entries(command.variables).sort(([a], [b]) => a.localeCompare(b)))}`;
  }
}

export interface CommentReply {
  author: string;
  /** The help text, when `/help` was asked. */
  help?: string;
  /** One paragraph per refused, failed or malformed command. */
  answers: readonly string[];
  notCarriedOut: number;
}

/** Pure: the one reply to a comment, or undefined when there is nothing to say. Always within GitHub's limit. */
export function renderCommentReply(reply: CommentReply): string | undefined {
  const answers = [...reply.answers];
  if (reply.notCarriedOut > 0) {
    answers.push(`${reply.notCarriedOut} more different command${reply.notCarriedOut === 1 ? " was" : "s were"} not carried out: at most ${MAX_COMMANDS_PER_COMMENT} per comment.`);
  }
  if (!reply.help && answers.length === 0) return undefined;
  const budget = GITHUB_LIMITS.commentBody - (reply.help?.length ?? 0) - 200;
  const listed = firstLinesWithin(
    answers.map((answer) => answer.replace(/\n{2,}/g, "\n")),
    Math.max(1_000, budget),
    (more) => `…and ${more} more answer${more === 1 ? "" : "s"} not shown.`,
    "\n\n",
  );
  const parts = [`@${reply.author}`, ...listed];
  if (reply.help) parts.push(reply.help);
  return fitComment(parts.join("\n\n"));
}
