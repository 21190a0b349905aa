import { logTailWithin } from "../log-tail.js";
import type { RunDetail } from "./schema.js";
import { isFailedPart } from "./state-map.js";

export const LOG_TAIL_LINES = 30;
/** Lines asked for per log page (the documented example asks for 500). */
export const LOG_PAGE_LIMIT = 500;
/** A failed step's log is read from the start, so a huge log is cut off here rather than read forever. */
export const MAX_LOG_PAGES = 10;

export interface FailedStep {
  jobId: string;
  stepId: string;
  name: string;
}

export interface FailedParts {
  /** One Markdown list item per failed job (or stage, when no job is marked). */
  lines: string[];
  /** The first failed step whose log can be read. */
  step?: FailedStep;
}

/** Failed stages, jobs and the first failed step, from the run detail. */
export function failedParts(detail: RunDetail): FailedParts {
  const lines: string[] = [];
  let step: FailedStep | undefined;
  for (const stage of detail.stages ?? []) {
    if (!isFailedPart(stage.status)) continue;
    const stageName = stage.name ?? "(unnamed stage)";
    const jobs = (stage.jobs ?? []).filter((job) => isFailedPart(job.status));
    if (jobs.length === 0) lines.push(`- \`${stageName}\``);
    for (const job of jobs) {
      lines.push(`- \`${stageName}\` / \`${job.name ?? "(unnamed job)"}\`${job.message ? `: ${job.message}` : ""}`);
      const failedStep = (job.steps ?? []).find((candidate) => isFailedPart(candidate.status) && candidate.id);
      if (!step && job.id && failedStep?.id) step = { jobId: job.id, stepId: failedStep.id, name: failedStep.name ?? job.name ?? "step" };
    }
  }
  return { lines, step };
}

export interface LogPage {
  log?: string | null;
  has_more?: boolean | null;
  end_offset?: string | number | null;
}

/** Reads a step log page by page (from offset 0, ascending) and keeps its last lines. */
export async function readLogTail(fetchPage: (startOffset: number) => Promise<LogPage>): Promise<{ tail: string; complete: boolean }> {
  let text = "";
  let offset = 0;
  for (let page = 0; page < MAX_LOG_PAGES; page++) {
    const answer = await fetchPage(offset);
    text = keepLastLines(text + (answer.log ?? ""), LOG_TAIL_LINES + 1);
    const next = Number(answer.end_offset);
    // Without a later offset there is no way forward, whatever has_more says.
    if (!answer.has_more || !Number.isFinite(next) || next <= offset) return { tail: lastLines(text), complete: true };
    offset = next;
  }
  return { tail: lastLines(text), complete: false };
}

export function formatFailure(parts: FailedParts, log?: { tail: string; complete: boolean }, mask: (text: string) => string = (text) => text): string {
  const out = ["Failed stages and jobs:", ...parts.lines];
  if (parts.step && log) {
    out.push("", `Last lines of step \`${parts.step.name}\`${log.complete ? "" : ` (the log is longer than ${MAX_LOG_PAGES * LOG_PAGE_LIMIT} lines; the full log is on CodeArts)`}:`);
    out.push("```", logTailWithin(mask(log.tail)) || "(empty log)", "```");
  }
  return mask(out.join("\n"));
}

/** Replaces each value with `***`, longest first so a value containing another is masked whole. */
export function maskValues(text: string, values: readonly string[]): string {
  let masked = text;
  for (const value of [...values].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length)) masked = masked.split(value).join("***");
  return masked;
}

function keepLastLines(text: string, count: number): string {
  const lines = text.split("\n");
  return lines.length > count ? lines.slice(-count).join("\n") : text;
}

function lastLines(text: string): string {
  return text.trimEnd().split("\n").slice(-LOG_TAIL_LINES).join("\n");
}
