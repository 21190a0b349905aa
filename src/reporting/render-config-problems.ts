import type { ConfigError } from "../errors.js";

/** Pure: the `path | problem` table shown on the failed `pipeline-relay/config` check. */
export function renderConfigProblems(error: ConfigError): { title: string; summary: string } {
  const count = error.problems.length;
  const rows = error.problems.map((p) => `| \`${p.path || "(file)"}\` | ${escapeCell(p.problem)} |`);
  return {
    title: `${error.file} has ${count} problem${count === 1 ? "" : "s"}`,
    summary: [
      `pipeline-relay read \`${error.file}\` from the default branch and could not use it. No pipeline was started.`,
      "",
      "| path | problem |",
      "|---|---|",
      ...rows,
      "",
      "Fix the file on the default branch; the next push or pull-request event uses the corrected file.",
    ].join("\n"),
  };
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
