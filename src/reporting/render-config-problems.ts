import type { ConfigError } from "../errors.js";
import { firstLinesWithin, fitLine, GITHUB_LIMITS } from "./github-limits.js";

/** Characters kept for the text around the table, so the summary stays within GitHub's limit. */
const FRAME_RESERVE = 2_000;
/** One problem is one table row; a hostile file can make a single message huge. */
const CELL_LIMIT = 500;

/**
 * Pure: the `path | problem` table shown on the failed `pipeline-relay/config` check. Thousands of
 * problems list the first ones that fit GitHub's limit and say how many more there are.
 */
export function renderConfigProblems(error: ConfigError): { title: string; summary: string } {
  const count = error.problems.length;
  const rows = error.problems.map((p) => `| \`${escapeCell(fitLine(p.path || "(file)", 200)).replace(/`/g, "'")}\` | ${escapeCell(fitLine(p.problem, CELL_LIMIT))} |`);
  const listed = firstLinesWithin(rows, GITHUB_LIMITS.checkSummary - FRAME_RESERVE, (more) => `| … | and ${more} more problem${more === 1 ? "" : "s"} not listed here: fix these first |`);
  return {
    title: `${error.file} has ${count} problem${count === 1 ? "" : "s"}`,
    summary: [
      `pipeline-relay read \`${error.file}\` from the default branch and could not use it. No pipeline was started.`,
      "",
      "| path | problem |",
      "|---|---|",
      ...listed,
      "",
      "Fix the file on the default branch; the next push or pull-request event uses the corrected file.",
    ].join("\n"),
  };
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
