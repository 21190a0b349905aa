import type { JobEntry, JobReport, JobStatus } from "../vendors/types.js";
import { firstLinesWithin, fitText } from "./github-limits.js";

/** The jobs table and the log tails share the summary with the tests; these keep them from crowding it out. */
export const JOB_TABLE_BUDGET = 20_000;
export const LOG_TAILS_BUDGET = 30_000;

const ICON: Record<JobStatus, string> = {
  failure: "❌",
  cancelled: "⛔",
  running: "🔄",
  queued: "⏳",
  manual: "✋",
  success: "✅",
  skipped: "⏭️",
  unknown: "❔",
};

/** Failed jobs first, then cancelled, unknown and the rest; the vendor's order is kept inside each group. */
const ORDER: readonly JobStatus[] = ["failure", "cancelled", "unknown", "manual", "running", "queued", "success", "skipped"];

/** A job report without the log excerpts (those are for annotation patterns, never shown or stored). */
export type ShownJobReport = { jobs: Array<Omit<JobEntry, "logExcerpt">>; cannotShow: string[] };

export function withoutExcerpts(report: JobReport): ShownJobReport {
  return { cannotShow: report.cannotShow, jobs: report.jobs.map(({ logExcerpt: _excerpt, ...job }) => job) };
}

export function failedJobCount(report: Pick<JobReport, "jobs"> | undefined): number {
  return report?.jobs.filter((job) => job.status === "failure").length ?? 0;
}

/** Pure: the jobs section: a table with failed jobs first, the last lines of each failed job, and what could not be shown. */
export function renderJobs(report: ShownJobReport, vendorName: string): string {
  const sorted = [...report.jobs].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
  const out = ["### Jobs", ""];
  if (sorted.length === 0) out.push(`${vendorName} listed no jobs for this run.`);
  else {
    const rows = sorted.map(tableRow);
    const kept = firstLinesWithin(rows, JOB_TABLE_BUDGET, (count) => `| …and ${count} more jobs | | | |`);
    out.push("| Job | Stage | Status | Duration |", "|---|---|---|---|", ...kept);
  }
  const tails = sorted.filter((job) => job.status === "failure").map(renderTail);
  if (tails.length > 0) out.push("", fitText(tails.join("\n\n"), LOG_TAILS_BUDGET));
  if (report.cannotShow.length > 0) out.push("", ...report.cannotShow.map((line) => `> ${ICON.unknown} Not shown: ${cell(line, 400)}.`));
  return out.join("\n");
}

function tableRow(job: ShownJobReport["jobs"][number]): string {
  const name = job.webUrl && isHttpUrl(job.webUrl) ? `[${linkText(job.name)}](${job.webUrl})` : `\`${cell(job.name)}\``;
  const status = `${ICON[job.status]} ${job.status}${job.vendorStatus && job.vendorStatus.toLowerCase() !== job.status ? ` (\`${cell(job.vendorStatus, 60)}\`)` : ""}`;
  return `| ${name} | ${job.stage ? cell(job.stage) : ""} | ${status} | ${formatSeconds(job.durationSeconds)} |`;
}

function renderTail(job: ShownJobReport["jobs"][number]): string {
  const where = job.stage ? ` (${cell(job.stage)})` : "";
  const error = job.error ? [`${job.vendorStatus ? `\`${cell(job.vendorStatus, 60)}\`` : "Failed"}: ${cell(job.error, 300)}`, ""] : [];
  if (job.logTail) return [`#### Last lines of \`${cell(job.name)}\`${where}`, "", ...error, fenced(job.logTail)].join("\n");
  const why = job.logNote ? `No log tail: ${cell(job.logNote, 400)}.` : "No log tail: the vendor offers no log for it.";
  return [`#### \`${cell(job.name)}\`${where}`, "", ...error, why].join("\n");
}

/** A code fence longer than any backtick run in the log, so a log line cannot end it. */
export function fenced(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}\n${text}\n${fence}`;
}

export function formatSeconds(seconds: number | undefined): string {
  if (seconds === undefined) return "–";
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m ${seconds % 60}s` : `${seconds}s`;
}

/** Table cells: one line, pipes escaped (a `|` would start a new column). */
function cell(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function linkText(text: string): string {
  return cell(text).replace(/[[\]]/g, (bracket) => `\\${bracket}`);
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s()<>]+$/.test(value);
}
